package io.billing.catalogue;

import com.google.gson.JsonObject;
import io.billing.processing.handler.EventHandler;
import io.billing.processing.handler.HandlerOrder;
import io.billing.processing.handler.HandlingContext;
import io.billing.processing.handler.InboxWorkItem;
import io.billing.stripe.objects.SnapshotVersion;
import io.billing.stripe.view.PriceView;
import io.billing.stripe.view.ProductView;
import io.billing.stripe.view.StripeObjectView;
import jakarta.enterprise.context.Dependent;

import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * Keeps the plan catalogue's {@link CatalogueProduct}s and {@link CataloguePrice}s from Stripe's account-level
 * {@code product.*} and {@code price.*} events, newest snapshot wins. Not tenant-scoped: the catalogue is the
 * merchant's, shared by every tenant, so these events never wait for a tenant mapping.
 */
@Dependent
@HandlerOrder(100)
public final class CatalogueProjection implements EventHandler {

    static final Set<String> PRODUCT_TYPES = Set.of("product.created", "product.updated", "product.deleted");
    static final Set<String> PRICE_TYPES = Set.of("price.created", "price.updated", "price.deleted");

    @Override
    public Set<String> eventTypes() {
        Set<String> types = new HashSet<>(PRODUCT_TYPES);
        types.addAll(PRICE_TYPES);
        return types;
    }

    @Override
    public boolean tenantScoped() {
        return false;
    }

    @Override
    public void handle(HandlingContext context) {
        InboxWorkItem event = context.event();
        JsonObject object = context.json().dataObject();
        String id = StripeObjectView.of(object).id();
        if (id == null) {
            throw new IllegalArgumentException(event.type() + " event " + event.eventId() + " has no object id");
        }
        boolean deleted = event.type().endsWith(".deleted");
        SnapshotVersion version = new SnapshotVersion(event.created(),
                SnapshotVersion.rank(event.objectType(), null, event.type()), event.eventId());
        if (PRODUCT_TYPES.contains(event.type())) {
            applyProduct(context, id, productSnapshot(ProductView.of(object), deleted, event.livemode()), version);
        } else {
            applyPrice(context, id, priceSnapshot(PriceView.of(object), deleted, event.livemode()), version);
        }
    }

    private static void applyProduct(HandlingContext context, String id, CatalogueProduct.Snapshot snapshot,
                                     SnapshotVersion version) {
        CatalogueProductRepository products = new JpaCatalogueProductRepository(context.entityManager());
        Optional<CatalogueProduct> stored = products.findForUpdate(id);
        if (stored.isPresent()) {
            stored.get().replaceIfNewer(snapshot, version);
        } else {
            products.add(CatalogueProduct.of(id, snapshot, version));
        }
    }

    private static void applyPrice(HandlingContext context, String id, CataloguePrice.Snapshot snapshot,
                                   SnapshotVersion version) {
        CataloguePriceRepository prices = new JpaCataloguePriceRepository(context.entityManager());
        Optional<CataloguePrice> stored = prices.findForUpdate(id);
        if (stored.isPresent()) {
            stored.get().replaceIfNewer(snapshot, version);
        } else {
            prices.add(CataloguePrice.of(id, snapshot, version));
        }
    }

    private static CatalogueProduct.Snapshot productSnapshot(ProductView product, boolean deleted, boolean livemode) {
        return new CatalogueProduct.Snapshot(product.name(), product.active(), deleted, product.metadata("plan_code"),
                livemode);
    }

    private static CataloguePrice.Snapshot priceSnapshot(PriceView price, boolean deleted, boolean livemode) {
        return new CataloguePrice.Snapshot(price.product(), price.currency(), price.unitAmount(), price.interval(),
                price.intervalCount(), price.active(), deleted, livemode);
    }
}
