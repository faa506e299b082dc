package org.tlsrollout.remediation.config;

import io.quarkus.hibernate.orm.JsonFormat;
import io.quarkus.hibernate.orm.PersistenceUnitExtension;
import jakarta.enterprise.context.ApplicationScoped;
import org.hibernate.type.descriptor.WrapperOptions;
import org.hibernate.type.descriptor.java.JavaType;
import org.hibernate.type.format.FormatMapper;
import org.hibernate.type.format.jackson.JacksonJsonFormatMapper;
import org.tlsrollout.contracts.Json;

/**
 * JSON columns (the findings) hold message records, so Hibernate reads and writes them with the messages' JSON
 * configuration ({@link Json#MAPPER}) rather than with the one of the REST layer.
 */
@JsonFormat
@PersistenceUnitExtension
@ApplicationScoped
public class JsonColumns implements FormatMapper {
    private final FormatMapper delegate = new JacksonJsonFormatMapper(Json.MAPPER);

    @Override
    public <T> T fromString(CharSequence charSequence, JavaType<T> javaType, WrapperOptions wrapperOptions) {
        return delegate.fromString(charSequence, javaType, wrapperOptions);
    }

    @Override
    public <T> String toString(T value, JavaType<T> javaType, WrapperOptions wrapperOptions) {
        return delegate.toString(value, javaType, wrapperOptions);
    }
}
