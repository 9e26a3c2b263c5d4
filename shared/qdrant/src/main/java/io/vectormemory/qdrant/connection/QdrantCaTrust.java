package io.vectormemory.qdrant.connection;

import io.vectormemory.qdrant.settings.SettingsException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.InvalidAlgorithmParameterException;
import java.security.KeyStore;
import java.security.KeyStoreException;
import java.security.NoSuchAlgorithmException;
import java.security.Provider;
import java.security.Security;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import javax.net.ssl.ManagerFactoryParameters;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.TrustManagerFactorySpi;
import javax.net.ssl.X509TrustManager;

/**
 * Trust for a Qdrant whose certificate is signed by a private CA ({@code QDRANT_CA_CERT}, PEM).
 * <p>
 * The gRPC channel with {@code useTransportSecurity()} verifies Qdrant's certificate (and host name) with the
 * JVM's default trust managers. This adds the given CA certificates to the JVM's own trust anchors, in memory,
 * by making an extended PKIX trust manager factory the process default: nothing is written to disk (the
 * containers have a read-only root) and the system CAs stay trusted. The process's only outgoing TLS
 * connection is the one to Qdrant.
 */
public final class QdrantCaTrust {
    static final String ALGORITHM = "VectorMemoryPKIX";

    private QdrantCaTrust() {
    }

    /** Makes the JVM trust the CA certificates in the PEM file, besides its default trust anchors. */
    public static synchronized void install(Path pemFile) {
        List<X509Certificate> cas = read(pemFile);
        Provider provider = new TrustProvider(anchorsWith(cas));
        Security.removeProvider(provider.getName());
        Security.insertProviderAt(provider, 1);
        Security.setProperty("ssl.TrustManagerFactory.algorithm", ALGORITHM);
    }

    private static List<X509Certificate> read(Path pemFile) {
        try (InputStream in = Files.newInputStream(pemFile)) {
            Collection<? extends java.security.cert.Certificate> all =
                    CertificateFactory.getInstance("X.509").generateCertificates(in);
            List<X509Certificate> cas = new ArrayList<>();
            for (var c : all) {
                cas.add((X509Certificate) c);
            }
            if (cas.isEmpty()) {
                throw new CertificateException("no certificate");
            }
            return cas;
        } catch (IOException | CertificateException e) {
            throw new SettingsException(List.of("QDRANT_CA_CERT=" + pemFile
                    + ": not a readable PEM file of CA certificates"));
        }
    }

    private static KeyStore anchorsWith(List<X509Certificate> cas) {
        try {
            TrustManagerFactory system = TrustManagerFactory.getInstance("PKIX");
            system.init((KeyStore) null);
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            int n = 0;
            for (TrustManager tm : system.getTrustManagers()) {
                if (tm instanceof X509TrustManager x509) {
                    for (X509Certificate c : x509.getAcceptedIssuers()) {
                        store.setCertificateEntry("system-" + n++, c);
                    }
                }
            }
            for (X509Certificate c : cas) {
                store.setCertificateEntry("qdrant-ca-" + n++, c);
            }
            return store;
        } catch (KeyStoreException | NoSuchAlgorithmException | CertificateException | IOException e) {
            throw new IllegalStateException("cannot build the trust store for QDRANT_CA_CERT", e);
        }
    }

    /** Provides {@link #ALGORITHM}: PKIX over the extended anchors. */
    private static final class TrustProvider extends Provider {
        TrustProvider(KeyStore anchors) {
            super("VectorMemoryTrust", "1.0", "JVM trust anchors plus QDRANT_CA_CERT");
            putService(new Service(this, "TrustManagerFactory", ALGORITHM, ExtendedPkix.class.getName(), null,
                    Map.of()) {
                @Override
                public Object newInstance(Object constructorParameter) {
                    return new ExtendedPkix(anchors);
                }
            });
        }
    }

    /** The platform's PKIX trust managers, initialised with the extended anchors unless told otherwise. */
    public static final class ExtendedPkix extends TrustManagerFactorySpi {
        private final KeyStore anchors;
        private final TrustManagerFactory pkix;

        ExtendedPkix(KeyStore anchors) {
            this.anchors = anchors;
            try {
                this.pkix = TrustManagerFactory.getInstance("PKIX");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("PKIX trust managers are required by the Java platform", e);
            }
        }

        @Override
        protected void engineInit(KeyStore ks) throws KeyStoreException {
            pkix.init(ks == null ? anchors : ks);
        }

        @Override
        protected void engineInit(ManagerFactoryParameters spec) throws InvalidAlgorithmParameterException {
            pkix.init(spec);
        }

        @Override
        protected TrustManager[] engineGetTrustManagers() {
            return pkix.getTrustManagers();
        }
    }
}
