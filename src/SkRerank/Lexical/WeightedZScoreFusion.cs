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
        var keywordScores = keyword.ToDictionary(m => m.Key, m => m.Score);
        var denseScores = new double[dense.Count];
        var keywordColumn = new double[dense.Count];
        for (var i = 0; i < dense.Count; i++)
        {
            denseScores[i] = sign * dense[i].Score;
            keywordColumn[i] = keywordScores.GetValueOrDefault(dense[i].Key);
        }
        ZScore.Standardize(denseScores, denseScores);
        ZScore.Standardize(keywordColumn, keywordColumn);
        return dense
            .Select((h, i) => new LexicalMatch<TKey>(h.Key, denseScores[i] + keywordWeight * keywordColumn[i]))
            .OrderByDescending(m => m.Score)
            .ToList();
    }
}
