using SkRerank.Lexical;

namespace SkRerank.Search;

/// <summary>
/// Fuses the first stage's rankings (the search's own, hybrid or dense, and one per <see cref="FirstStageVector{TRecord}"/>)
/// by weighted z-score, as the stores fuse dense and keyword scores: each ranking's scores are standardised over the
/// records it returned, a record a ranking did not return gets that ranking's lowest standard score, and the weighted
/// sums order the union.
/// </summary>
internal static class FirstStageFusion
{
    /// <summary>One ranking: its hits, best first (as every VectorData search returns them), and its weight.</summary>
    public readonly record struct Ranking<TRecord>(IReadOnlyList<(TRecord Record, double Score)> Hits, double Weight);

    /// <summary>Fuses <paramref name="rankings"/> and returns the best <paramref name="top"/>; ties keep the first ranking's order.</summary>
    /// <param name="rankings">The rankings; the first is the search's own.</param>
    /// <param name="key">Identifies a record across rankings (each search returns its own instances).</param>
    /// <param name="top">How many to return.</param>
    public static IReadOnlyList<(TRecord Record, double Score)> Fuse<TRecord>(
        IReadOnlyList<Ranking<TRecord>> rankings, Func<TRecord, object> key, int top)
    {
        var union = new Dictionary<object, int>();
        var records = new List<TRecord>();
        foreach (var ranking in rankings)
        {
            foreach (var (record, _) in ranking.Hits)
            {
                if (union.TryAdd(key(record), records.Count)) records.Add(record);
            }
        }

        var fused = new double[records.Count];
        foreach (var ranking in rankings)
        {
            if (ranking.Hits.Count == 0) continue;
            // Stores return hits best first; a distance (lower is better) shows as rising scores. Standard scores then
            // point the same way for every ranking.
            var sign = ranking.Hits[0].Score >= ranking.Hits[^1].Score ? 1.0 : -1.0;
            var standard = new double[ranking.Hits.Count];
            for (var i = 0; i < standard.Length; i++) standard[i] = sign * ranking.Hits[i].Score;
            ZScore.Standardize(standard, standard);
            var lowest = standard.Length > 0 ? standard.Min() : 0;
            var seen = new bool[records.Count];
            for (var i = 0; i < standard.Length; i++)
            {
                var index = union[key(ranking.Hits[i].Record)];
                if (seen[index]) continue; // a store returns a record once; guard against one that does not
                seen[index] = true;
                fused[index] += ranking.Weight * standard[i];
            }
            for (var i = 0; i < fused.Length; i++)
            {
                if (!seen[i]) fused[i] += ranking.Weight * lowest;
            }
        }

        return Enumerable.Range(0, records.Count)
            .OrderByDescending(i => fused[i]) // stable: ties keep union order, i.e. the first ranking's
            .Take(top)
            .Select(i => (records[i], fused[i]))
            .ToList();
    }
}
