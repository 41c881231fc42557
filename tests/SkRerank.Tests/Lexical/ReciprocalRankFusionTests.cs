using SkRerank.Lexical;

namespace SkRerank.Tests.Lexical;

public class ReciprocalRankFusionTests
{
    [Fact]
    public void Fused_scores_sum_one_over_k_plus_rank_across_lists()
    {
        var fused = ReciprocalRankFusion.Fuse<string>([["a", "b", "c"], ["c", "b"]]);

        // a: 1/61; b: 1/62 + 1/62; c: 1/63 + 1/61.
        Assert.Equal(["c", "b", "a"], fused.Select(m => m.Key));
        Assert.Equal(1.0 / 63 + 1.0 / 61, fused[0].Score, 12);
        Assert.Equal(2.0 / 62, fused[1].Score, 12);
        Assert.Equal(1.0 / 61, fused[2].Score, 12);
    }

    [Fact]
    public void A_smaller_k_rewards_first_places_more()
    {
        // With k = 0: a = 1/1 = 1, b = 1/2 + 1/2 = 1, c = 1/3 + 1/1 → c first, then a and b tied in first-seen order.
        var fused = ReciprocalRankFusion.Fuse<string>([["a", "b", "c"], ["c", "b"]], k: 0);
        Assert.Equal(["c", "a", "b"], fused.Select(m => m.Key));
    }

    [Fact]
    public void A_key_repeated_within_a_list_counts_once()
    {
        var fused = ReciprocalRankFusion.Fuse<int>([[1, 1, 2]]);
        Assert.Equal(1.0 / 61, fused.Single(m => m.Key == 1).Score, 12);
        Assert.Equal(1.0 / 63, fused.Single(m => m.Key == 2).Score, 12);
    }
}
