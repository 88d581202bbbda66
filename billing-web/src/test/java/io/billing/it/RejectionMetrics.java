package io.billing.it;

/** Reads the service's {@code webhook_rejected_total{reason=…}} counter from its Prometheus endpoint. */
final class RejectionMetrics {

    private RejectionMetrics() {
    }

    static double count(WebhookClient client, String reason) {
        WebhookClient.Answer metrics = client.get("metrics?scope=application");
        if (metrics.status() != 200) {
            throw new AssertionError("GET /metrics answered " + metrics.status());
        }
        return metrics.body().lines()
                .filter(line -> line.startsWith("webhook_rejected_total") && line.contains("reason=\"" + reason + "\""))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .sum();
    }
}
