package io.billing.admin;

import io.billing.inbox.InboxStatus;
import io.billing.processing.operator.EventViews;
import io.billing.tenant.TenantQueries;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The lists of the mappings page: the parked (UNMAPPED) events, newest first, each with a button that opens the
 * mapping editor on its customer; and every customer's and Connect account's mapping, searched by the start of an
 * id or of a tenant. Both a page at a time by keyset, the search and the pages in the URL. Read lazily, so that they
 * show after the editor's own requests too.
 */
@Named
@RequestScoped
public class MappingListBean {

    static final int PAGE_SIZE = 50;
    static final String PAGE = "/admin/mappings.xhtml";

    @Inject
    AdminFacade facade;

    private String search;
    private String after;
    private String parked;
    private TenantQueries.MappingPage mappings;
    private EventViews.Slice unmapped;

    /** A page of the mappings, customers' then accounts', those whose id or tenant starts with the search. */
    public TenantQueries.MappingPage getMappings() {
        if (mappings == null) {
            mappings = new TenantQueries.MappingPage(List.of(), null);
            try {
                mappings = facade.mappings(search, after, PAGE_SIZE);
            } catch (IllegalArgumentException e) {
                AdminCaller.Messages.error(e.getMessage());
            } catch (SQLException e) {
                AdminCaller.Messages.databaseFailed(e);
            }
        }
        return mappings;
    }

    /** A page of the parked events, newest first. */
    public EventViews.Slice getUnmapped() {
        if (unmapped == null) {
            unmapped = new EventViews.Slice(List.of(), null, null);
            try {
                unmapped = facade.eventSlice(InboxStatus.UNMAPPED, null, null, null, null, null,
                        EventViews.Cursor.parse(parked), true, PAGE_SIZE);
            } catch (SQLException e) {
                AdminCaller.Messages.databaseFailed(e);
            }
        }
        return unmapped;
    }

    /** The URL of the mappings' next page, or null on the last. */
    public String getNextUrl() {
        String next = getMappings().next();
        return next == null ? null : url(search, next, parked);
    }

    /** The URL of the older parked events, or null when none is older. */
    public String getOlderParkedUrl() {
        EventViews.Cursor older = getUnmapped().older();
        return older == null ? null : url(search, after, older.token());
    }

    /** The search form's button: the first page of the mappings found, at its own URL. */
    public void find() {
        AdminLinks.redirect(url(search, null, null));
    }

    private static String url(String search, String after, String parked) {
        Map<String, String> parameters = new LinkedHashMap<>();
        parameters.put("search", search);
        parameters.put("after", after);
        parameters.put("parked", parked);
        return AdminLinks.url(PAGE, parameters);
    }

    public String getSearch() {
        return search;
    }

    public void setSearch(String search) {
        this.search = search;
    }

    public String getAfter() {
        return after;
    }

    public void setAfter(String after) {
        this.after = after;
    }

    public String getParked() {
        return parked;
    }

    public void setParked(String parked) {
        this.parked = parked;
    }
}
