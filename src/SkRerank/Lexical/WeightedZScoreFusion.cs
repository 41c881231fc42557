namespace SkRerank.Lexical;

/// <summary>
/// Fuses a dense and a keyword ranking by standardising each score list over the same candidates (a keyword
/// non-match scores 0) and adding the keyword z-score with a weight. Unlike <see cref="ReciprocalRankFusion"/> it keeps
/// how far apart scores are, which the movie search's dev queries favour (README, "Relevance"). Both vector stores
/// (in-memory and PostgreSQL) fuse hybrid searches with it, so they rank alike.
/// </summary>
internal static class WeightedZScoreFusion
{
    /// <summary>Fuses the two rankings.</summary>
    /// <param name="dense">Every candidate with its vector score; ties keep this order.</param>
    /// <param name="keyword">The candidates that match a keyword, with their keyword score.</param>
    /// <param name="higherIsBetter">Whether a higher vector score is better (similarity) or worse (distance).</param>
    /// <param name="keywordWeight">The keyword z-score's weight against the dense z-score's 1.</param>
    /// <returns>Every dense candidate with its fused score, best first.</returns>
    public static IReadOnlyList<LexicalMatch<TKey>> Fuse<TKey>(
        IReadOnlyList<(double Score, TKey Key)> dense, IReadOnlyList<LexicalMatch<TKey>> keyword, bool higherIsBetter, double keywordWeight)
        where TKey : notnull
    {
        ArgumentNullException.ThrowIfNull(dense);
        ArgumentNullException.ThrowIfNull(keyword);
        if (dense.Count == 0) return [];
        var sign = higherIsBetter ? 1.0 : -1.0;
        var denseMean = dense.Average(h => sign * h.Score);
        var denseStd = Math.Sqrt(dense.Sum(h => Math.Pow(sign * h.Score - denseMean, 2)) / dense.Count);
        var keywordScores = keyword.ToDictionary(m => m.Key, m => m.Score);
        var keywordMean = keywordScores.Values.Sum() / dense.Count;
        var keywordStd = Math.Sqrt((keywordScores.Values.Sum(v => (v - keywordMean) * (v - keywordMean))
                                    + (dense.Count - keywordScores.Count) * keywordMean * keywordMean) / dense.Count);
        return dense
            .Select(h =>
            {
                var z = denseStd > 0 ? (sign * h.Score - denseMean) / denseStd : 0;
                var k = keywordStd > 0 ? (keywordScores.GetValueOrDefault(h.Key) - keywordMean) / keywordStd : 0;
                return new LexicalMatch<TKey>(h.Key, z + keywordWeight * k);
            })
            .OrderByDescending(m => m.Score)
            .ToList();
    }
}
