package org.tlsrollout.remediation;

import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;
import org.tlsrollout.contracts.MachineClass;

/** Stores a {@link MachineClass} by its wire name ({@code client}, {@code site-system}), as the messages do. */
@Converter
public class MachineClassConverter implements AttributeConverter<MachineClass, String> {

    @Override
    public String convertToDatabaseColumn(MachineClass machineClass) {
        return machineClass == null ? null : machineClass.wireName();
    }

    @Override
    public MachineClass convertToEntityAttribute(String wireName) {
        return wireName == null ? null : MachineClass.fromWireName(wireName);
    }
}
