package org.tlsrollout.rules.config;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import java.util.Set;
import org.tlsrollout.rules.catalog.CatalogOptions;
import org.tlsrollout.rules.catalog.RuleCatalog;

/** The one rule catalog of this service, built from {@link RulesConfig}. */
public class CatalogProducer {

    @Produces
    @ApplicationScoped
    RuleCatalog catalog(RulesConfig config) {
        return new RuleCatalog(new CatalogOptions(
                config.kb3140245SupersededBy().orElse(Set.of()),
                config.laterRollups().orElse(Set.of()),
                config.disableLegacyIncludeClients()));
    }
}
