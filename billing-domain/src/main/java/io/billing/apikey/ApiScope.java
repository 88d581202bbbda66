package io.billing.apikey;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/** What an API key may do. Each endpoint of the SaaS application's APIs needs one; a key holds any of them. */
public enum ApiScope {

    /** {@code GET /api/tenants/{id}/entitlements}. */
    ENTITLEMENTS_READ("entitlements:read"),
    /** {@code POST /api/billing/checkout} and {@code GET /api/billing/portal}. */
    SESSIONS_CREATE("sessions:create"),
    /** A checkout that registers its tenant ({@code "create_tenant": true}) when the service does not know it yet. */
    TENANTS_CREATE("tenants:create");

    private final String code;

    ApiScope(String code) {
        this.code = code;
    }

    /** The scope's name in the API, the admin and the database. */
    public String code() {
        return code;
    }

    /** @throws IllegalArgumentException naming the scopes there are, for an unknown name */
    public static ApiScope of(String code) {
        String wanted = code == null ? "" : code.trim().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(scope -> scope.code.equals(wanted)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown scope " + code + "; the scopes are "
                        + String.join(", ", codes(EnumSet.allOf(ApiScope.class)))));
    }

    /** The scopes' names, in the enum's order. */
    public static java.util.List<String> codes(Set<ApiScope> scopes) {
        return Arrays.stream(values()).filter(scopes::contains).map(ApiScope::code).toList();
    }

    /** Scopes from their names separated by spaces or commas (how the column and the admin's form hold them). */
    public static Set<ApiScope> parse(String codes) {
        if (codes == null || codes.isBlank()) {
            return EnumSet.noneOf(ApiScope.class);
        }
        return Arrays.stream(codes.split("[\\s,]+")).filter(s -> !s.isEmpty()).map(ApiScope::of)
                .collect(Collectors.toCollection(() -> EnumSet.noneOf(ApiScope.class)));
    }
}
