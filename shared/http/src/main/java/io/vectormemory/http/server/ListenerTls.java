package io.vectormemory.http.server;

import io.helidon.common.configurable.Resource;
import io.helidon.common.pki.Keys;
import io.helidon.common.tls.Tls;
import io.vectormemory.qdrant.settings.SettingsException;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;

/** HTTPS for a function's listener from PEM files ({@code TLS_CERT_PATH}, {@code TLS_KEY_PATH}). */
public final class ListenerTls {
    private ListenerTls() {
    }

    /**
     * The server side of TLS: the certificate chain (leaf first) and its private key (PKCS#8, or PKCS#1 RSA).
     * Unreadable or mismatched files end startup with one line naming the variable, never the key's content.
     */
    public static Tls of(ServerSettings.ServerTls files) {
        Keys keys;
        try {
            keys = Keys.builder()
                    .pem(pem -> pem.key(Resource.create(files.privateKey()))
                            .certChain(Resource.create(files.certificate())))
                    .build();
        } catch (RuntimeException e) {
            throw new SettingsException(List.of("TLS_CERT_PATH/TLS_KEY_PATH: not a PEM certificate chain and a PEM "
                    + "private key (PKCS#8, or PKCS#1 RSA)"));
        }
        PrivateKey key = keys.privateKey().orElseThrow(() -> new SettingsException(List.of(
                "TLS_KEY_PATH=" + files.privateKey() + ": no PEM private key found (PKCS#8 or PKCS#1 RSA expected)")));
        List<X509Certificate> chain = keys.certChain();
        if (chain.isEmpty()) {
            throw new SettingsException(List.of(
                    "TLS_CERT_PATH=" + files.certificate() + ": no PEM certificate found"));
        }
        if (!chain.getFirst().getPublicKey().getAlgorithm().equals(key.getAlgorithm())) {
            throw new SettingsException(List.of("TLS_KEY_PATH: the private key does not belong to the first "
                    + "certificate of TLS_CERT_PATH"));
        }
        return Tls.builder()
                .privateKey(key)
                .privateKeyCertChain(chain)
                .build();
    }
}
