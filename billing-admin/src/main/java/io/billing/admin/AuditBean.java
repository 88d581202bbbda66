package io.billing.admin;

import io.billing.audit.AuditQueries;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import java.sql.SQLException;
import java.util.List;

/** The audit log, newest first, searchable by actor, action or target id; read-only for everyone. */
@Named
@RequestScoped
public class AuditBean {

    @Inject
    AdminFacade facade;

    private String term;

    public List<AuditQueries.Entry> getEntries() throws SQLException {
        return facade.audit(term, 200);
    }

    public String getTerm() {
        return term;
    }

    public void setTerm(String term) {
        this.term = term;
    }
}
