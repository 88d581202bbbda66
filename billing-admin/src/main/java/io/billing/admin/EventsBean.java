package io.billing.admin;

import io.billing.inbox.InboxStatus;
import io.billing.processing.operator.EventViews;
import jakarta.faces.view.ViewScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import org.primefaces.model.FilterMeta;
import org.primefaces.model.LazyDataModel;
import org.primefaces.model.SortMeta;

import java.io.Serializable;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;

/**
 * The events table: server-side filters (status, type, tenant, object id), one page of rows fetched at a
 * time, newest first.
 */
@Named
@ViewScoped
public class EventsBean implements Serializable {

    private static final long serialVersionUID = 1L;

    @Inject
    AdminFacade facade;

    private String status;
    private String type;
    private String tenant;
    private String objectId;
    private final LazyDataModel<EventViews.Summary> model = new LazyDataModel<>() {
        private static final long serialVersionUID = 1L;

        @Override
        public int count(Map<String, FilterMeta> filters) {
            return (int) Math.min(Integer.MAX_VALUE, page(0, 1).total());
        }

        @Override
        public List<EventViews.Summary> load(int first, int pageSize, Map<String, SortMeta> sort,
                                             Map<String, FilterMeta> filters) {
            EventViews.Page page = page(first / pageSize, pageSize);
            setRowCount((int) Math.min(Integer.MAX_VALUE, page.total()));
            return page.events();
        }

        @Override
        public String getRowKey(EventViews.Summary event) {
            return event.eventId();
        }
    };

    private EventViews.Page page(int page, int size) {
        try {
            return facade.events(status == null || status.isBlank() ? null : InboxStatus.valueOf(status), type, tenant,
                    objectId, page, size);
        } catch (SQLException e) {
            AdminCaller.Messages.error("The database did not answer: " + e.getMessage());
            return new EventViews.Page(List.of(), page, size, 0);
        }
    }

    public LazyDataModel<EventViews.Summary> getModel() {
        return model;
    }

    public InboxStatus[] getStatuses() {
        return InboxStatus.values();
    }

    public String getStatus() {
        return status;
    }

    public void setStatus(String status) {
        this.status = status;
    }

    public String getType() {
        return type;
    }

    public void setType(String type) {
        this.type = type;
    }

    public String getTenant() {
        return tenant;
    }

    public void setTenant(String tenant) {
        this.tenant = tenant;
    }

    public String getObjectId() {
        return objectId;
    }

    public void setObjectId(String objectId) {
        this.objectId = objectId;
    }
}
