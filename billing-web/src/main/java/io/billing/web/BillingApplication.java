package io.billing.web;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

/** All REST resources live under {@code /api}; the admin pages are served beside them under {@code /admin}. */
@ApplicationPath("/api")
public class BillingApplication extends Application {
}
