package io.billing.web.apikey;

import io.billing.apikey.ApiScope;
import jakarta.ws.rs.NameBinding;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks the SaaS application's resources: callers present an API key ({@link ApiKeyFilter}) that holds every scope
 * named here. On a method, its scopes are the method's; on a class, every method's that names none itself.
 */
@NameBinding
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface ApiKeyRequired {

    /** The scopes the key must hold. */
    ApiScope[] value() default {};
}
