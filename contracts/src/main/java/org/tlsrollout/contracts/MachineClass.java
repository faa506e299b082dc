package org.tlsrollout.contracts;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Collection;

/** rules.md, "Machine classes": a site system hosts any role other than CLIENT and ADMIN_CONSOLE. */
public enum MachineClass {
    CLIENT("client"),
    SITE_SYSTEM("site-system");

    private final String wireName;

    MachineClass(String wireName) {
        this.wireName = wireName;
    }

    @JsonValue
    public String wireName() {
        return wireName;
    }

    @JsonCreator
    public static MachineClass fromWireName(String name) {
        for (MachineClass c : values()) {
            if (c.wireName.equals(name)) {
                return c;
            }
        }
        throw new IllegalArgumentException("unknown machine class '" + name + "', expected client or site-system");
    }

    public static MachineClass of(Collection<Role> roles) {
        for (Role role : roles) {
            if (role != Role.CLIENT && role != Role.ADMIN_CONSOLE) {
                return SITE_SYSTEM;
            }
        }
        return CLIENT;
    }
}
