using Npgsql;

namespace SkRerank.Postgres;

/// <summary>
/// Collects the positional parameters ($1, $2, …) of one statement. Every value a caller gives (keys, filter values,
/// keywords, vectors) reaches the server this way, never as SQL text.
/// </summary>
internal sealed class SqlParameters
{
    public List<NpgsqlParameter> List { get; } = [];

    /// <summary>Adds a value and returns its placeholder, cast to <paramref name="sqlType"/> when given.</summary>
    public string Add(object? value, string? sqlType = null)
    {
        List.Add(new NpgsqlParameter { Value = ToDatabase(value) });
        var placeholder = "$" + List.Count;
        return sqlType is null ? placeholder : $"{placeholder}::{sqlType}";
    }

    /// <summary>Converts a CLR value to what Npgsql writes: nulls to DBNull, UTC for timestamps.</summary>
    public static object ToDatabase(object? value) => value switch
    {
        null => DBNull.Value,
        DateTime { Kind: DateTimeKind.Unspecified } dateTime => DateTime.SpecifyKind(dateTime, DateTimeKind.Utc),
        DateTime dateTime => dateTime.ToUniversalTime(),
        ReadOnlyMemory<float> memory => new Pgvector.Vector(memory),
        Enum enumValue => Convert.ToInt32(enumValue, System.Globalization.CultureInfo.InvariantCulture),
        _ => value,
    };
}
