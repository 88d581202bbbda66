package io.billing.web;

import io.billing.web.security.Refusals;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The service's own answer wherever the server would show its error page (web.xml maps every error status and every
 * exception here): the APIs' {@code {"error", "message"}} JSON under {@code /api/}, a plain page in the admin's look
 * elsewhere. Never an exception's text: a failure is logged with a reference, and the page shows the reference.
 * A refusal of the staff login says what it refused through {@link Refusals}' request attributes.
 */
@WebServlet(urlPatterns = ErrorPages.PATH)
public class ErrorPages extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = Logger.getLogger(ErrorPages.class.getName());

    public static final String PATH = "/error";

    /** Per status: the code and message of the JSON answer, and the page's title. */
    private record Answer(String code, String message, String title) {
    }

    private static final Map<Integer, Answer> ANSWERS = Map.of(
            400, new Answer("invalid_request", "The request is not one this service understands.", "Bad request"),
            401, new Answer("unauthorized", "Log in with a staff account: HTTP Basic on /api/admin, or the admin's"
                    + " session.", "Log in first"),
            403, new Answer("forbidden", "Your account may not do this.", "Not for your account"),
            404, new Answer("not_found", "There is nothing at this address.", "Not found"),
            405, new Answer("method_not_allowed", "This address does not take that method.", "Not allowed"),
            415, new Answer("unsupported_media_type", "Send the body as application/json.", "Unsupported content"),
            429, new Answer("too_many_requests", "Too many requests: try again later.", "Too many attempts"),
            503, new Answer("unavailable", "The service cannot answer now: try again shortly.", "Try again shortly"));

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Object statusAttribute = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        int status = statusAttribute instanceof Integer given ? given : 404;
        String uri = (String) request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
        String path = uri == null ? request.getRequestURI() : uri;
        path = path.substring(Math.min(request.getContextPath().length(), path.length()));
        Answer answer = answer(status, request);

        response.setStatus(status);
        if (path.startsWith("/api/")) {
            response.setContentType("application/json");
            response.setCharacterEncoding(StandardCharsets.UTF_8.name());
            response.getWriter().write(ApiError.body(answer.code(), answer.message()).toString());
        } else {
            response.setContentType("text/html");
            response.setCharacterEncoding(StandardCharsets.UTF_8.name());
            page(response.getWriter(), request.getContextPath(), status, answer);
        }
    }

    private static Answer answer(int status, HttpServletRequest request) {
        Object code = request.getAttribute(Refusals.CODE);
        Object message = request.getAttribute(Refusals.MESSAGE);
        Answer known = ANSWERS.get(status);
        if (code instanceof String c && message instanceof String m) {
            return new Answer(c, m, known == null ? "Refused" : known.title());
        }
        if (known != null && status < 500 || status == 503) {
            return known;
        }
        String reference = reference(request);
        Throwable failure = (Throwable) request.getAttribute(RequestDispatcher.ERROR_EXCEPTION);
        LOG.log(Level.WARNING, "request " + reference + " to " + request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI)
                + " failed with status " + status, failure);
        return new Answer("internal_error", "Something went wrong on the server; nothing you sent caused it. The"
                + " service's log has the details under the reference " + reference + ".", "Something went wrong");
    }

    /** The request's id where {@link RequestIds} gave it one, else a new one. */
    private static String reference(HttpServletRequest request) {
        String id = RequestIds.current();
        return "-".equals(id) ? UUID.randomUUID().toString() : id;
    }

    private static void page(PrintWriter out, String contextPath, int status, Answer answer) {
        out.write("""
                <!DOCTYPE html>
                <html lang="en"><head><meta charset="utf-8"><title>%1$s · Billing admin</title>
                <style>
                body { font-family: system-ui, sans-serif; margin: 0; }
                .bar { padding: .5rem 1rem; background: #1f2d3d; color: #fff; }
                .content { padding: 2rem 1rem; max-width: 40rem; }
                a { color: #1f5d99; }
                </style></head>
                <body><div class="bar"><strong>Billing admin</strong></div>
                <div class="content"><h1>%1$s</h1><p id="error-message">%2$s</p><p class="status">HTTP %3$d</p>
                <p><a href="%4$s/admin/">To the admin</a> · <a href="%4$s/login.xhtml">Log in</a></p></div>
                </body></html>
                """.formatted(escape(answer.title()), escape(answer.message()), status, escape(contextPath)));
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
