using System.Reflection;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.VectorData;
using SkRerank.VectorStore;

namespace SkRerank.Postgres;

/// <summary>
/// One property of the record model and its column: the CLR property, the column name (the property's storage name, else
/// its name) and the PostgreSQL type it is stored as.
/// </summary>
internal sealed class PostgresProperty
{
    public required PostgresPropertyKind Kind { get; init; }

    /// <summary>The CLR property name (what filters and selectors name).</summary>
    public required string Name { get; init; }

    /// <summary>The column name, quoted as an identifier wherever it appears in SQL.</summary>
    public required string ColumnName { get; init; }

    public required PropertyInfo Property { get; init; }

    /// <summary>The PostgreSQL type, e.g. <c>text</c>, <c>integer[]</c> or <c>vector(384)</c>.</summary>
    public required string SqlType { get; init; }

    public bool IsIndexed { get; init; }

    public bool IsFullTextIndexed { get; init; }

    /// <summary>The hidden tsvector column of a full-text-indexed property.</summary>
    public string TextSearchColumnName => ColumnName + "$tsv";

    // Vector properties only.
    public int Dimensions { get; init; }

    public PostgresDistance? Distance { get; init; }

    public IEmbeddingGenerator? EmbeddingGenerator { get; init; }

    public object? Read(object record) => Property.GetValue(record);

    public void Write(object record, object? value) => Property.SetValue(record, value);

    /// <summary>The property's vector, or null when the record has none (a default <c>ReadOnlyMemory</c> counts as none).</summary>
    public ReadOnlyMemory<float>? ReadVector(object record)
    {
        var value = Property.GetValue(record);
        if (value is null) return null;
        if (!VectorValue.TryRead(value, out var vector))
            throw new NotSupportedException($"Vector property '{Name}' holds a '{value.GetType().Name}'.");
        if (vector.IsEmpty) return null;
        return vector;
    }

    public void WriteVector(object record, float[]? vector)
    {
        var type = Property.PropertyType;
        object? value = null;
        if (vector is null)
        {
            // A non-nullable ReadOnlyMemory<float> cannot be null: its default (empty) means "no vector".
            if (type == typeof(ReadOnlyMemory<float>)) value = default(ReadOnlyMemory<float>);
        }
        else if (type == typeof(float[])) value = vector;
        else if (type == typeof(Embedding<float>)) value = new Embedding<float>(vector);
        else value = new ReadOnlyMemory<float>(vector);
        Property.SetValue(record, value);
    }

    /// <summary>The vector types a vector property may have.</summary>
    public const string SupportedVectorTypes = "ReadOnlyMemory<float>, ReadOnlyMemory<float>?, float[], Embedding<float>";

    public static bool IsVectorType(Type type) =>
        type == typeof(ReadOnlyMemory<float>) || type == typeof(ReadOnlyMemory<float>?) || type == typeof(float[]) || type == typeof(Embedding<float>);

    /// <summary>The PostgreSQL type of a key or data property, or null when it has none here.</summary>
    public static string? SqlTypeOf(Type type)
    {
        var underlying = Nullable.GetUnderlyingType(type) ?? type;
        if (underlying == typeof(string)) return "text";
        if (underlying.IsEnum) return "integer"; // stored as its number, like SK's connectors
        if (underlying == typeof(int)) return "integer";
        if (underlying == typeof(long)) return "bigint";
        if (underlying == typeof(short)) return "smallint";
        if (underlying == typeof(bool)) return "boolean";
        if (underlying == typeof(float)) return "real";
        if (underlying == typeof(double)) return "double precision";
        if (underlying == typeof(decimal)) return "numeric";
        if (underlying == typeof(Guid)) return "uuid";
        if (underlying == typeof(DateTime) || underlying == typeof(DateTimeOffset)) return "timestamp with time zone";
        if (underlying == typeof(DateOnly)) return "date";
        if (ElementType(type) is { } element && SqlTypeOf(element) is { } elementSql && !elementSql.EndsWith("[]", StringComparison.Ordinal))
            return elementSql + "[]";
        return null;
    }

    /// <summary>The element type of an array or <c>List&lt;T&gt;</c> data property; null for anything else (strings included).</summary>
    public static Type? ElementType(Type type)
    {
        if (type == typeof(string)) return null;
        if (type.IsArray) return type.GetElementType();
        return type.IsGenericType && type.GetGenericTypeDefinition() == typeof(List<>) ? type.GetGenericArguments()[0] : null;
    }

    /// <summary>Reads the attributes of a property, or null when it is not part of the model.</summary>
    public static VectorStoreProperty? FromAttributes(PropertyInfo info)
    {
        if (info.GetCustomAttribute<VectorStoreKeyAttribute>() is { } key)
            return new VectorStoreKeyProperty(info.Name, info.PropertyType) { StorageName = key.StorageName };
        if (info.GetCustomAttribute<VectorStoreDataAttribute>() is { } data)
            return new VectorStoreDataProperty(info.Name, info.PropertyType)
            {
                IsIndexed = data.IsIndexed,
                IsFullTextIndexed = data.IsFullTextIndexed,
                StorageName = data.StorageName,
            };
        if (info.GetCustomAttribute<VectorStoreVectorAttribute>() is { } vector)
            return new VectorStoreVectorProperty(info.Name, info.PropertyType, vector.Dimensions)
            {
                DistanceFunction = vector.DistanceFunction,
                IndexKind = vector.IndexKind,
                StorageName = vector.StorageName,
            };
        return null;
    }
}
