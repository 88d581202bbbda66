package io.billing.it;

import fish.payara.arquillian.container.payara.managed.PayaraMicroContainerConfiguration;
import fish.payara.arquillian.container.payara.managed.PayaraMicroDeployableContainer;
import org.jboss.arquillian.container.spi.client.container.DeployableContainer;
import org.jboss.arquillian.container.spi.client.container.DeploymentException;
import org.jboss.arquillian.container.spi.client.container.LifecycleException;
import org.jboss.arquillian.container.spi.client.protocol.ProtocolDescription;
import org.jboss.arquillian.container.spi.client.protocol.metadata.HTTPContext;
import org.jboss.arquillian.container.spi.client.protocol.metadata.ProtocolMetaData;
import org.jboss.shrinkwrap.api.Archive;
import org.jboss.shrinkwrap.descriptor.api.Descriptor;

import java.net.URI;

/**
 * Payara's Arquillian container starts a new Payara Micro for every deployment, that is for every test
 * class: about 25 s each. This wrapper deploys once, hands every later test class the same running
 * service, and stops it when the suite ends. Before the start it prepares the {@link TestEnvironment}
 * and passes the service its configuration as a system-properties file (not on the command line, which
 * Arquillian logs, and the webhook secrets must not be logged).
 */
public class SuiteScopedPayaraMicro implements DeployableContainer<PayaraMicroContainerConfiguration> {

    private final PayaraMicroDeployableContainer delegate = new PayaraMicroDeployableContainer();
    private Archive<?> deployed;
    private ProtocolMetaData metaData;

    @Override
    public Class<PayaraMicroContainerConfiguration> getConfigurationClass() {
        return PayaraMicroContainerConfiguration.class;
    }

    @Override
    public void setup(PayaraMicroContainerConfiguration configuration) {
        TestEnvironment environment = TestEnvironment.get();
        String options = configuration.getExtraMicroOptions() == null ? "" : configuration.getExtraMicroOptions() + " ";
        configuration.setExtraMicroOptions(options + "--systemproperties " + environment.writeServiceConfiguration()
                + " --logtofile " + environment.serviceLog());
        delegate.setup(configuration);
    }

    @Override
    public ProtocolDescription getDefaultProtocol() {
        return delegate.getDefaultProtocol();
    }

    @Override
    public void start() throws LifecycleException {
        delegate.start();
    }

    @Override
    public synchronized ProtocolMetaData deploy(Archive<?> archive) throws DeploymentException {
        if (metaData == null) {
            metaData = delegate.deploy(archive);
            if (metaData == null) {
                throw new DeploymentException("Payara Micro did not start; see its output above");
            }
            deployed = archive;
            HTTPContext http = metaData.getContexts(HTTPContext.class).iterator().next();
            TestEnvironment.get().serviceStarted(URI.create("http://" + http.getHost() + ":" + http.getPort() + "/"));
        }
        return metaData;
    }

    @Override
    public void undeploy(Archive<?> archive) {
        // kept running for the next test class; stopped in stop()
    }

    @Override
    public synchronized void stop() throws LifecycleException {
        if (deployed != null) {
            try {
                delegate.undeploy(deployed);
            } catch (DeploymentException e) {
                throw new LifecycleException("could not stop Payara Micro", e);
            }
            deployed = null;
            metaData = null;
        }
        delegate.stop();
    }

    @Override
    public void deploy(Descriptor descriptor) {
        throw new UnsupportedOperationException("descriptors are not deployed here");
    }

    @Override
    public void undeploy(Descriptor descriptor) {
        throw new UnsupportedOperationException("descriptors are not deployed here");
    }
}
