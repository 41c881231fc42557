using System.Linq.Expressions;
using System.Reflection;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.VectorData;

namespace SkRerank.Postgres;

/// <summary>
/// The table layout of one record type: key, data and vector properties with their columns, from the collection
/// definition when given, else from the record's VectorData attributes.
/// </summary>
internal sealed class PostgresRecordModel
{
    private PostgresRecordModel(Type recordType, PostgresProperty key, IReadOnlyList<PostgresProperty> data, IReadOnlyList<PostgresProperty> vectors)
    {
        RecordType = recordType;
        Key = key;
        Data = data;
        Vectors = vectors;
        All = [key, .. data, .. vectors];
    }

    public Type RecordType { get; }

    public PostgresProperty Key { get; }

    public IReadOnlyList<PostgresProperty> Data { get; }

    public IReadOnlyList<PostgresProperty> Vectors { get; }

    /// <summary>Key, data and vector properties, in column order.</summary>
    public IReadOnlyList<PostgresProperty> All { get; }

    public IEnumerable<PostgresProperty> FullText => Data.Where(p => p.IsFullTextIndexed);

    /// <summary>Builds the model; embedding generators resolve vector property → definition → <paramref name="defaultGenerator"/>.</summary>
    /// <exception cref="ArgumentException">The model is invalid (no key, an unknown property, a type mismatch).</exception>
    /// <exception cref="NotSupportedException">A property type or distance function has no PostgreSQL mapping here.</exception>
    public static PostgresRecordModel Build(Type keyType, Type recordType, VectorStoreCollectionDefinition? definition, IEmbeddingGenerator? defaultGenerator)
    {
        if (recordType == typeof(Dictionary<string, object?>))
            throw new NotSupportedException("The PostgreSQL collection maps classes with properties; dynamic (Dictionary<string, object?>) records are not supported.");
        if (recordType.GetConstructor(Type.EmptyTypes) is null)
            throw new NotSupportedException($"The record type '{recordType.Name}' needs a public parameterless constructor.");

        var declared = definition?.Properties.ToList()
            ?? recordType.GetProperties(BindingFlags.Public | BindingFlags.Instance).Select(PostgresProperty.FromAttributes).OfType<VectorStoreProperty>().ToList();
        var generator = definition?.EmbeddingGenerator ?? defaultGenerator;

        var properties = declared.Select(p => Map(recordType, p, generator)).ToList();
        var keys = properties.Where(p => p.Kind == PostgresPropertyKind.Key).ToList();
        if (keys.Count != 1)
            throw new ArgumentException($"The record type '{recordType.Name}' must have exactly one key property; it has {keys.Count}.");
        if (keyType != typeof(object) && keys[0].Property.PropertyType != keyType)
            throw new ArgumentException($"The key property '{keys[0].Name}' is of type '{keys[0].Property.PropertyType.Name}' but the collection's key type is '{keyType.Name}'.");
        if (keys[0].SqlType is not ("integer" or "bigint" or "text" or "uuid"))
            throw new NotSupportedException($"Key property '{keys[0].Name}' has type '{keys[0].Property.PropertyType.Name}'; the PostgreSQL collection supports int, long, string and Guid keys.");
        var duplicate = properties.GroupBy(p => p.ColumnName).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null) throw new ArgumentException($"Column '{duplicate.Key}' is defined more than once.");

        return new PostgresRecordModel(recordType, keys[0],
            properties.Where(p => p.Kind == PostgresPropertyKind.Data).ToList(),
            properties.Where(p => p.Kind == PostgresPropertyKind.Vector).ToList());
    }

    private static PostgresProperty Map(Type recordType, VectorStoreProperty declared, IEmbeddingGenerator? generator)
    {
        var info = recordType.GetProperty(declared.Name, BindingFlags.Public | BindingFlags.Instance)
            ?? throw new ArgumentException($"The definition names property '{declared.Name}', which '{recordType.Name}' does not have.");
        if (declared.Type is { } type && type != info.PropertyType)
            throw new ArgumentException($"The definition gives property '{declared.Name}' type '{type.Name}' but it is '{info.PropertyType.Name}' on '{recordType.Name}'.");
        if (info.SetMethod is not { IsPublic: true })
            throw new NotSupportedException($"Property '{info.Name}' of '{recordType.Name}' needs a public setter.");
        var column = string.IsNullOrEmpty(declared.StorageName) ? declared.Name : declared.StorageName;

        switch (declared)
        {
            case VectorStoreVectorProperty vector:
                if (!PostgresProperty.IsVectorType(info.PropertyType))
                    throw new NotSupportedException($"Vector property '{info.Name}' has type '{info.PropertyType.Name}'; the PostgreSQL collection supports {PostgresProperty.SupportedVectorTypes}.");
                if (vector.Dimensions is < 1 or > 16000)
                    throw new ArgumentException($"Vector property '{info.Name}' must have between 1 and 16000 dimensions (pgvector's limit); it has {vector.Dimensions}.");
                return new PostgresProperty
                {
                    Kind = PostgresPropertyKind.Vector,
                    Name = info.Name,
                    ColumnName = column,
                    Property = info,
                    SqlType = $"vector({vector.Dimensions})",
                    Dimensions = vector.Dimensions,
                    Distance = PostgresDistance.Parse(vector.DistanceFunction, info.Name),
                    EmbeddingGenerator = vector.EmbeddingGenerator ?? generator,
                };
            case VectorStoreKeyProperty or VectorStoreDataProperty:
                var sqlType = PostgresProperty.SqlTypeOf(info.PropertyType)
                    ?? throw new NotSupportedException($"Property '{info.Name}' has type '{info.PropertyType.Name}', which the PostgreSQL collection cannot store.");
                var data = declared as VectorStoreDataProperty;
                return new PostgresProperty
                {
                    Kind = declared is VectorStoreKeyProperty ? PostgresPropertyKind.Key : PostgresPropertyKind.Data,
                    Name = info.Name,
                    ColumnName = column,
                    Property = info,
                    SqlType = sqlType,
                    IsIndexed = data?.IsIndexed == true,
                    IsFullTextIndexed = data?.IsFullTextIndexed == true,
                };
            default:
                throw new NotSupportedException($"Property '{declared.Name}' is a '{declared.GetType().Name}', which the PostgreSQL collection does not know.");
        }
    }

    /// <summary>Returns the vector property a selector names, or the only one when the selector is null.</summary>
    public PostgresProperty ResolveVector(LambdaExpression? selector)
    {
        if (selector is null)
        {
            return Vectors.Count switch
            {
                1 => Vectors[0],
                0 => throw new InvalidOperationException($"The record type '{RecordType.Name}' has no vector property to search."),
                _ => throw new InvalidOperationException(
                    $"The record type '{RecordType.Name}' has {Vectors.Count} vector properties; choose one with the search options' VectorProperty."),
            };
        }
        var name = PropertyNameOf(selector);
        return Vectors.FirstOrDefault(p => p.Name == name)
            ?? throw new InvalidOperationException($"'{name}' is not a vector property of '{RecordType.Name}'.");
    }

    /// <summary>Returns the full-text-indexed data property a selector names.</summary>
    public PostgresProperty ResolveFullText(LambdaExpression selector)
    {
        var name = PropertyNameOf(selector);
        var property = Data.FirstOrDefault(p => p.Name == name)
            ?? throw new InvalidOperationException($"'{name}' is not a data property of '{RecordType.Name}'.");
        return property.IsFullTextIndexed
            ? property
            : throw new InvalidOperationException($"Data property '{name}' is not full-text indexed (IsFullTextIndexed = true), so it cannot be keyword-searched.");
    }

    /// <summary>The key or data property a filter or ordering names.</summary>
    public PostgresProperty? FindKeyOrData(string name) => name == Key.Name ? Key : Data.FirstOrDefault(p => p.Name == name);

    private static string PropertyNameOf(LambdaExpression selector)
    {
        var body = selector.Body;
        while (body is UnaryExpression { NodeType: ExpressionType.Convert or ExpressionType.ConvertChecked } convert) body = convert.Operand;
        return body is MemberExpression member && member.Expression == selector.Parameters[0]
            ? member.Member.Name
            : throw new ArgumentException($"The property selector '{selector}' must name a property directly, e.g. r => r.Embedding.");
    }
}
