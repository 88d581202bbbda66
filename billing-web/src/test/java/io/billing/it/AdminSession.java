package io.billing.it;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A browser test class's admin: one Chromium logged in as the configured admin, opened at its first use and closed
 * after the class. Register it with {@code @RegisterExtension static final AdminSession ADMIN = new AdminSession();}.
 * Without a browser the class is skipped, or fails under {@code CI=true} ({@link AdminBrowser#requireOrSkip}).
 */
final class AdminSession implements BeforeAllCallback, AfterAllCallback {

    private AdminBrowser browser;

    @Override
    public void beforeAll(ExtensionContext context) {
        AdminBrowser.requireOrSkip();
    }

    /** The logged-in browser. */
    AdminBrowser browser() {
        if (browser == null) {
            TestEnvironment environment = TestEnvironment.get();
            browser = new AdminBrowser(environment.baseUri().toString());
            browser.logIn("admin", environment.adminPassword);
        }
        return browser;
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (browser != null) {
            browser.close();
            browser = null;
        }
    }
}
