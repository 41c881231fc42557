namespace SkRerank.Lexical;

/// <summary>Parameters of the BM25 scoring used by keyword search and <see cref="Reranking.LexicalSignal"/>.</summary>
public sealed class Bm25Options
{
    /// <summary>Term-frequency saturation: how quickly repeated terms stop adding score. 1.2 by default (Lucene's).</summary>
    public double K1 { get; init; } = 1.2;

    /// <summary>Length normalization, from 0 (none) to 1 (full). 0.75 by default (Lucene's).</summary>
    public double B { get; init; } = 0.75;

    /// <summary>
    /// Weight of each field's BM25 score when a query is scored over all fields, e.g. <c>{ ["Title"] = 2 }</c> to boost
    /// titles. Fields not listed weigh 1.
    /// </summary>
    public IReadOnlyDictionary<string, double> FieldWeights { get; init; } = new Dictionary<string, double>();

    /// <summary>Returns the weight of <paramref name="field"/>.</summary>
    public double WeightOf(string field) => FieldWeights.TryGetValue(field, out var weight) ? weight : 1.0;

    internal void Validate()
    {
        if (!(K1 >= 0) || double.IsInfinity(K1)) throw new ArgumentOutOfRangeException(nameof(K1), K1, "k1 must be a finite number >= 0.");
        if (!(B >= 0 && B <= 1)) throw new ArgumentOutOfRangeException(nameof(B), B, "b must lie in [0, 1].");
        foreach (var (field, weight) in FieldWeights)
        {
            if (!(weight >= 0) || double.IsInfinity(weight))
                throw new ArgumentOutOfRangeException(nameof(FieldWeights), weight, $"The weight of field '{field}' must be a finite number >= 0.");
        }
    }
}
