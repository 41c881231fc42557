using SkRerank.Search;

namespace SkRerank.Tests.Search;

/// <summary>How the first stage fuses its own ranking with a second model's.</summary>
public sealed class FirstStageFusionTests
{
    private static FirstStageFusion.Ranking<string> Ranking(double weight, params (string Record, double Score)[] hits) => new(hits, weight);

    [Fact]
    public void A_record_only_the_second_ranking_returns_can_outrank_the_first_rankings_tail()
    {
        var own = Ranking(1, ("a", 0.9), ("b", 0.5), ("c", 0.1));
        var second = Ranking(1, ("x", 0.8), ("a", 0.7), ("b", 0.2));

        var fused = FirstStageFusion.Fuse([own, second], r => r, top: 4).Select(h => h.Record).ToList();

        Assert.Equal(["a", "x", "b", "c"], fused);
    }

    [Fact]
    public void A_missing_record_scores_the_lowest_standard_score_of_that_ranking()
    {
        var own = Ranking(1, ("a", 3), ("b", 2), ("c", 1));
        var second = Ranking(1, ("a", 3), ("b", 2));

        var fused = FirstStageFusion.Fuse([own, second], r => r, top: 3).ToDictionary(h => h.Record, h => h.Score);

        // own: z = +1.22, 0, -1.22; second: z = +1, -1 and c gets -1.
        Assert.Equal(Math.Sqrt(1.5) + 1, fused["a"], 6);
        Assert.Equal(-1, fused["b"], 6);
        Assert.Equal(-Math.Sqrt(1.5) - 1, fused["c"], 6);
    }

    [Fact]
    public void A_distance_ranking_counts_lower_scores_as_better()
    {
        // Stores return hits best first, so rising scores are distances.
        var own = Ranking(1, ("a", 0.9), ("b", 0.8));
        var distances = Ranking(3, ("b", 0.1), ("a", 0.9));

        var fused = FirstStageFusion.Fuse([own, distances], r => r, top: 2);

        Assert.Equal("b", fused[0].Record);
    }

    [Fact]
    public void Weights_scale_each_rankings_say_and_top_limits_the_answer()
    {
        var own = Ranking(1, ("a", 2), ("b", 1));
        var heavy = Ranking(2, ("b", 2), ("a", 1));

        var fused = FirstStageFusion.Fuse([own, heavy], r => r, top: 1);

        Assert.Equal("b", Assert.Single(fused).Record);
    }
}
