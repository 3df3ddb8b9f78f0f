package io.axle.server.ui;

/** The parts of the UI its navigation bar names; a page highlights the one it belongs to. */
public enum Section {
    MODELS("Models", "/models"),
    EXPERIMENTS("Experiments", "/experiments"),
    DEPLOYMENTS("Deployments", "/deployments"),
    WEBHOOKS("Webhooks", "/webhooks"),
    GPUS("GPUs", "/gpus");

    private final String label;
    private final String href;

    Section(String label, String href) {
        this.label = label;
        this.href = href;
    }

    public String label() {
        return label;
    }

    public String href() {
        return href;
    }
}
