package io.billing.platform.persistence;

import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

import java.sql.Connection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConfiguredDataSourceTest {

    @Test
    void postgresUrlsGetPgjdbcWithTimeoutsThatCannotHangForEver() {
        PGSimpleDataSource pg = assertInstanceOf(PGSimpleDataSource.class, ConfiguredDataSource.create(
                new DatabaseSettings("jdbc:postgresql://db.example:5432/billing", "billing", "secret")));
        assertEquals(30, pg.getSocketTimeout());
        assertEquals(5, pg.getConnectTimeout());
        assertEquals("billing", pg.getUser());
    }

    @Test
    void timeoutsGivenInTheUrlWin() {
        PGSimpleDataSource pg = assertInstanceOf(PGSimpleDataSource.class, ConfiguredDataSource.create(
                new DatabaseSettings("jdbc:postgresql://db/billing?socketTimeout=7&connectTimeout=3", "u", "")));
        assertEquals(7, pg.getSocketTimeout());
        assertEquals(3, pg.getConnectTimeout());
    }

    @Test
    void h2UrlsGetTheEmbeddedDatabaseAndItWorks() throws Exception {
        ConfiguredDataSource ds = new ConfiguredDataSource(
                new DatabaseSettings("jdbc:h2:mem:configured;MODE=PostgreSQL", "billing", ""));
        assertTrue(ds.isWrapperFor(JdbcDataSource.class));
        try (Connection c = ds.getConnection()) {
            assertTrue(c.isValid(1));
        }
    }

    @Test
    void otherDatabasesAreRefusedWithAClearMessage() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ConfiguredDataSource.create(
                new DatabaseSettings("jdbc:mysql://db/billing?password=hunter2", "u", "p")));
        assertTrue(e.getMessage().contains("billing.db.url"), e.getMessage());
        assertFalse(e.getMessage().contains("hunter2"), "no credentials in messages");
    }

    @Test
    void describeLeavesParametersAndCredentialsOut() {
        assertEquals("jdbc:postgresql://db:5432/billing",
                new DatabaseSettings("jdbc:postgresql://db:5432/billing?password=hunter2", "u", "p").describe());
        assertEquals("jdbc:h2:file:~/.billing-service/h2/billing",
                new DatabaseSettings(DatabaseSettings.EMBEDDED_URL, "u", "").describe());
        assertFalse(new DatabaseSettings("jdbc:postgresql://db/x", "u", "hunter2").toString().contains("hunter2"));
    }
}
