namespace SkRerank.Postgres;

/// <summary>What a record property is to the table: the key, a data column or a vector column.</summary>
internal enum PostgresPropertyKind
{
    Key,
    Data,
    Vector,
}
