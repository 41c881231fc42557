namespace SkRerank.Evaluation;

/// <summary>
/// Standard ranking metrics over graded judgments of documents identified by any key type. nDCG uses linear gains (gain = grade, discount 1/log2(rank+1)) as
/// trec_eval does; MRR and recall count a document as relevant when its grade is at least <see cref="RelevantGrade"/>.
/// </summary>
public static class RankingMetrics
{
    /// <summary>The lowest grade that counts as relevant for MRR and recall ("clearly relevant").</summary>
    public const int RelevantGrade = 2;

    /// <summary>Normalised discounted cumulative gain at <paramref name="k"/>; 0 when no document is judged relevant.</summary>
    public static double NdcgAt<TKey>(IReadOnlyList<TKey> ranking, IReadOnlyDictionary<TKey, int> judgments, int k)
        where TKey : notnull
    {
        var dcg = Dcg(ranking.Take(k).Select(d => judgments.GetValueOrDefault(d)));
        var ideal = Dcg(judgments.Values.Where(g => g > 0).OrderDescending().Take(k));
        return ideal > 0 ? dcg / ideal : 0;
    }

    /// <summary>Reciprocal rank of the first relevant document within the first <paramref name="k"/>; 0 when none.</summary>
    public static double MrrAt<TKey>(IReadOnlyList<TKey> ranking, IReadOnlyDictionary<TKey, int> judgments, int k)
        where TKey : notnull
    {
        for (var i = 0; i < Math.Min(k, ranking.Count); i++)
            if (judgments.GetValueOrDefault(ranking[i]) >= RelevantGrade) return 1.0 / (i + 1);
        return 0;
    }

    /// <summary>Fraction of the relevant documents found in the first <paramref name="k"/>; 0 when none are relevant.</summary>
    public static double RecallAt<TKey>(IReadOnlyList<TKey> ranking, IReadOnlyDictionary<TKey, int> judgments, int k)
        where TKey : notnull
    {
        var relevant = judgments.Count(j => j.Value >= RelevantGrade);
        if (relevant == 0) return 0;
        var found = ranking.Take(k).Distinct().Count(d => judgments.GetValueOrDefault(d) >= RelevantGrade);
        return (double)found / relevant;
    }

    private static double Dcg(IEnumerable<int> grades)
    {
        double sum = 0;
        var rank = 1;
        foreach (var grade in grades)
        {
            sum += grade / Math.Log2(rank + 1);
            rank++;
        }
        return sum;
    }
}
