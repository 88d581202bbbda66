package io.billing.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * A correlation id per request: the caller's {@code X-Request-Id} when it is a sane token (a load balancer's,
 * say), else a new one; echoed in the response and available to log lines of the request's thread
 * ({@link #current()}), so one delivery can be followed from the balancer's log to ours.
 */
@WebFilter(urlPatterns = "/*")
public class RequestIds extends HttpFilter {

    private static final long serialVersionUID = 1L;
    public static final String HEADER = "X-Request-Id";
    private static final Pattern SANE = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final ThreadLocal<String> CURRENT = new ThreadLocal<>();

    /** The id of the request this thread serves, or "-" outside a request. */
    public static String current() {
        String id = CURRENT.get();
        return id == null ? "-" : id;
    }

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        String given = request.getHeader(HEADER);
        String id = given != null && SANE.matcher(given).matches() ? given : UUID.randomUUID().toString();
        response.setHeader(HEADER, id);
        CURRENT.set(id);
        try {
            chain.doFilter(request, response);
        } finally {
            CURRENT.remove();
        }
    }
}
