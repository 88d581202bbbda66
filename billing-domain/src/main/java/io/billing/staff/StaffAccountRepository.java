package io.billing.staff;

import java.util.List;
import java.util.Optional;

/** The staff accounts. Not tenant data: staff work across every tenant. */
public interface StaffAccountRepository {

    Optional<StaffAccount> find(String username);

    /** Whether there is any account at all (the first start creates one when there is none). */
    boolean any();

    /** Every account, by user name. */
    List<StaffAccount> all();

    /** Adds a new account; written with the caller's transaction, where the primary key refuses a taken name. */
    void add(StaffAccount account);
}
