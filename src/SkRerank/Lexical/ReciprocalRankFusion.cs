namespace SkRerank.Lexical;

/// <summary>
/// Reciprocal Rank Fusion (Cormack, Clarke and Büttcher, 2009): merges ranked lists by summing
/// <c>1 / (k + rank)</c> over the lists an item appears in, ranks starting at 1. Only ranks matter, so scores on
/// different scales (cosine similarity, BM25) fuse without calibration. k = 60 is the paper's value and the usual
/// default (Azure AI Search, Elasticsearch, OpenSearch): it damps the weight of the very first ranks.
/// </summary>
internal static class ReciprocalRankFusion
{
    /// <summary>The paper's smoothing constant.</summary>
    public const int DefaultK = 60;

    /// <summary>Fuses ranked lists of keys, each best first.</summary>
    /// <param name="rankings">The lists; a key should appear at most once per list (later repeats are ignored).</param>
    /// <param name="k">The smoothing constant, &gt;= 0.</param>
    /// <param name="keyComparer">Compares keys; the default comparer when <see langword="null"/>.</param>
    /// <returns>
    /// Every key with its fused score, best first; equal scores keep the order in which the keys were first met,
    /// list by list.
    /// </returns>
    public static IReadOnlyList<LexicalMatch<TKey>> Fuse<TKey>(
        IEnumerable<IEnumerable<TKey>> rankings,
        int k = DefaultK,
        IEqualityComparer<TKey>? keyComparer = null)
        where TKey : notnull
    {
        ArgumentNullException.ThrowIfNull(rankings);
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        var scores = new Dictionary<TKey, (double Score, int FirstSeen)>(keyComparer);
        foreach (var ranking in rankings)
        {
            var seenInList = new HashSet<TKey>(keyComparer);
            var rank = 0;
            foreach (var key in ranking)
            {
                rank++;
                if (!seenInList.Add(key)) continue;
                var contribution = 1.0 / (k + rank);
                scores[key] = scores.TryGetValue(key, out var entry)
                    ? (entry.Score + contribution, entry.FirstSeen)
                    : (contribution, scores.Count);
            }
        }

        return scores
            .OrderByDescending(e => e.Value.Score)
            .ThenBy(e => e.Value.FirstSeen)
            .Select(e => new LexicalMatch<TKey>(e.Key, e.Value.Score))
            .ToArray();
    }
}
