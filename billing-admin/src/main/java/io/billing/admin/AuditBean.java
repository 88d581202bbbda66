package io.billing.admin;

import io.billing.audit.AuditQueries;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import java.sql.SQLException;
import java.util.List;

/**
 * The audit log, newest first, searchable by actor, action or target id, a page at a time (the next page
 * starts after the last entry shown; the search and the page in the URL); read-only for everyone.
 */
@Named
@RequestScoped
public class AuditBean {

    static final int PAGE_SIZE = 200;

    @Inject
    AdminFacade facade;

    private String term;
    private Long before;
    private List<AuditQueries.Entry> entries;

    public List<AuditQueries.Entry> getEntries() throws SQLException {
        if (entries == null) {
            entries = facade.audit(term, before, PAGE_SIZE);
        }
        return entries;
    }

    /** The id the next (older) page starts before, or null when this page is the last. */
    public Long getOlder() throws SQLException {
        List<AuditQueries.Entry> page = getEntries();
        return page.size() < PAGE_SIZE ? null : page.get(page.size() - 1).id();
    }

    /** The search form's button: the newest entries found, at their own URL. */
    public void find() {
        AdminLinks.redirect(AdminLinks.url("/admin/audit.xhtml", java.util.Map.of("term", term == null ? "" : term)));
    }

    /** The URL of the next (older) page, or null when this page is the last. */
    public String getOlderUrl() throws SQLException {
        Long older = getOlder();
        return older == null ? null : AdminLinks.url("/admin/audit.xhtml", java.util.Map.of("term", term == null ? ""
                : term, "before", older.toString()));
    }

    public String getTerm() {
        return term;
    }

    public void setTerm(String term) {
        this.term = term;
    }

    public Long getBefore() {
        return before;
    }

    public void setBefore(Long before) {
        this.before = before;
    }
}
