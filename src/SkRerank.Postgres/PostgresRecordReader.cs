using Npgsql;

namespace SkRerank.Postgres;

/// <summary>Builds records from rows whose first columns are the model's key, data and vector columns, in order.</summary>
internal static class PostgresRecordReader
{
    public static TRecord Read<TRecord>(PostgresRecordModel model, NpgsqlDataReader reader, bool includeVectors)
        where TRecord : class
    {
        var record = Activator.CreateInstance<TRecord>();
        for (var i = 0; i < model.All.Count; i++)
        {
            var property = model.All[i];
            if (property.Kind == PostgresPropertyKind.Vector)
            {
                // Unrequested vectors stay null (default for ReadOnlyMemory<float>), as in the in-memory store.
                property.WriteVector(record, includeVectors && !reader.IsDBNull(i) ? reader.GetFieldValue<Pgvector.Vector>(i).ToArray() : null);
                continue;
            }
            if (reader.IsDBNull(i))
            {
                if (!property.Property.PropertyType.IsValueType || Nullable.GetUnderlyingType(property.Property.PropertyType) is not null)
                    property.Write(record, null);
                continue;
            }
            property.Write(record, Convert(reader.GetValue(i), property.Property.PropertyType));
        }
        return record;
    }

    private static object Convert(object value, Type type)
    {
        var target = Nullable.GetUnderlyingType(type) ?? type;
        if (target.IsInstanceOfType(value)) return value;
        if (target.IsGenericType && target.GetGenericTypeDefinition() == typeof(List<>)) return Activator.CreateInstance(target, value)!;
        if (target.IsEnum) return Enum.ToObject(target, value);
        return value switch
        {
            DateTime dateTime when target == typeof(DateTimeOffset) => new DateTimeOffset(dateTime),
            DateTime dateTime when target == typeof(DateOnly) => DateOnly.FromDateTime(dateTime),
            _ => System.Convert.ChangeType(value, target, System.Globalization.CultureInfo.InvariantCulture),
        };
    }
}
