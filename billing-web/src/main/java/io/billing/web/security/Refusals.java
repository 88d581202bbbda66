package io.billing.web.security;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;

/**
 * How staff security refuses a request: the status through the container's error handling, so that the service's
 * error page answers it (JSON under {@code /api/}, the admin's page elsewhere) with the code and message put here.
 */
public final class Refusals {

    /** Request attribute: the error code of the answer. */
    public static final String CODE = "io.billing.refusal.code";
    /** Request attribute: the message of the answer. */
    public static final String MESSAGE = "io.billing.refusal.message";

    private Refusals() {
    }

    static void refuse(HttpServletRequest request, HttpServletResponse response, int status, String code,
                       String message) {
        request.setAttribute(CODE, code);
        request.setAttribute(MESSAGE, message);
        try {
            response.sendError(status);
        } catch (IOException e) {
            // the caller went away; there is no one left to answer
        }
    }
}
