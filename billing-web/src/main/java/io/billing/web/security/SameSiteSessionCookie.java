package io.billing.web.security;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Marks the admin's session cookie {@code SameSite=Strict}, so a page of another site cannot make a staff
 * member's browser send it along. Payara 6 applies neither web.xml's cookie attribute nor
 * {@code SessionCookieConfig.setAttribute}, so the cookie header is completed here: when this filter creates
 * the session, and again after the page if the login gave the session a new id.
 */
@WebFilter(urlPatterns = {"/login.xhtml", "/admin/*"})
public class SameSiteSessionCookie extends HttpFilter {

    private static final long serialVersionUID = 1L;
    private static final String SAME_SITE = "SameSite=Strict";

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (request.getSession(false) == null) {
            request.getSession(true); // Faces keeps the view state in it anyway; create it now, while headers are open
        }
        complete(response);
        chain.doFilter(request, response);
        complete(response);
    }

    /** Adds the attribute to every cookie of the response that lacks one; the login calls it after a new session id. */
    static void complete(HttpServletResponse response) {
        if (response.isCommitted()) {
            return;
        }
        List<String> cookies = new ArrayList<>(response.getHeaders("Set-Cookie"));
        if (cookies.stream().allMatch(c -> c.contains("SameSite"))) {
            return;
        }
        boolean first = true;
        for (String cookie : cookies) {
            String completed = cookie.contains("SameSite") ? cookie : cookie + "; " + SAME_SITE;
            if (first) {
                response.setHeader("Set-Cookie", completed);
                first = false;
            } else {
                response.addHeader("Set-Cookie", completed);
            }
        }
    }
}
