package io.billing.web.admin;

import io.billing.web.ApiError;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

import java.sql.SQLException;
import java.util.logging.Level;
import java.util.logging.Logger;

/** How the operator API answers bad requests (400) and an unreachable database (503), in the one error shape. */
public final class OperatorApiErrors {

    private OperatorApiErrors() {
    }

    @Provider
    public static class BadRequest implements ExceptionMapper<IllegalArgumentException> {
        @Override
        public Response toResponse(IllegalArgumentException e) {
            return ApiError.of(Response.Status.BAD_REQUEST, "invalid_request", e.getMessage()).build();
        }
    }

    @Provider
    public static class DatabaseUnavailable implements ExceptionMapper<SQLException> {
        private static final Logger LOG = Logger.getLogger(DatabaseUnavailable.class.getName());

        @Override
        public Response toResponse(SQLException e) {
            LOG.log(Level.WARNING, "operator request failed on the database", e);
            return ApiError.databaseUnavailable();
        }
    }
}
