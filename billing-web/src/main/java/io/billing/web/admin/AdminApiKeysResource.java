package io.billing.web.admin;

import io.billing.apikey.ApiKeys;
import io.billing.apikey.ApiScope;
import io.billing.web.ApiError;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.core.UriInfo;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.sql.SQLException;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import static io.billing.web.JsonFields.text;

/**
 * The SaaS application's API keys for operators: list (never a secret), create (the secret is in that answer
 * only), revoke (at once). Creation and revocation are audited under the staff member's name.
 */
@Path("admin/api-keys")
@Tag(name = "operator")
@SecurityRequirement(name = "staff")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
public class AdminApiKeysResource {

    /** Every key, and whether the legacy service token still opens the APIs as one more key. */
    public record Listing(List<ApiKeys.KeyView> apiKeys, boolean legacyServiceTokenConfigured) {
    }

    @Inject
    ApiKeys keys;

    @Context
    SecurityContext security;

    @Context
    UriInfo uri;

    @GET
    @Operation(summary = "Every API key, newest first, revoked ones included; never a secret")
    public Listing list() throws SQLException {
        return new Listing(keys.list(), keys.legacyTokenConfigured());
    }

    @GET
    @Path("{keyId}")
    public Response get(@PathParam("keyId") String keyId) throws SQLException {
        return keys.find(keyId).map(key -> Response.ok(key).build()).orElseGet(() -> notFound(keyId));
    }

    /**
     * Body {@code {"name", "scopes": [...], "tenant_id", "reason"}} ({@code tenant_id} optional: every tenant);
     * answers 201 {@code {"key": {...}, "secret"}}. The secret is shown this once.
     */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Create an API key; the answer holds its secret, shown this once")
    public Response create(JsonObject body) throws SQLException {
        if (body == null) {
            throw new IllegalArgumentException("a JSON body is required: name, scopes, optionally tenant_id and"
                    + " reason");
        }
        ApiKeys.Issued issued = keys.create(text(body, "name"), scopes(body), text(body, "tenant_id"),
                security.getUserPrincipal().getName(), text(body, "reason"));
        return Response.created(uri.getAbsolutePathBuilder().path(issued.key().keyId()).build()).entity(issued).build();
    }

    /** Body {@code {"reason"}} (optional): the key is refused from the next request on; answers the key. */
    @POST
    @Path("{keyId}/revoke")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Revoke an API key at once")
    public Response revoke(@PathParam("keyId") String keyId, OperatorRequest request) throws SQLException {
        return keys.revoke(keyId, security.getUserPrincipal().getName(), OperatorRequest.orEmpty(request).reason())
                .map(key -> Response.ok(key).build()).orElseGet(() -> notFound(keyId));
    }

    private static Set<ApiScope> scopes(JsonObject body) {
        if (!(body.get("scopes") instanceof JsonArray array) || array.isEmpty()) {
            throw new IllegalArgumentException("scopes is required: a list of "
                    + String.join(", ", ApiScope.codes(EnumSet.allOf(ApiScope.class))));
        }
        Set<ApiScope> scopes = EnumSet.noneOf(ApiScope.class);
        for (JsonValue value : array) {
            if (!(value instanceof JsonString scope)) {
                throw new IllegalArgumentException("scopes must be strings");
            }
            scopes.add(ApiScope.of(scope.getString()));
        }
        return scopes;
    }

    private static Response notFound(String keyId) {
        return ApiError.of(Response.Status.NOT_FOUND, "api_key_not_found", "There is no API key " + keyId + ".")
                .build();
    }
}
