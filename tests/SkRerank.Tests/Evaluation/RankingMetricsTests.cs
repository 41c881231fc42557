using SkRerank.Evaluation;
using SkRerank.Tests.Support;

namespace SkRerank.Tests.Evaluation;

public class RankingMetricsTests
{
    private static readonly Dictionary<int, int> Judgments = new() { [1] = 3, [2] = 2, [3] = 1 };

    [Fact]
    public void Ndcg_matches_a_hand_computed_example()
    {
        // DCG@5 of [2, 9, 1, 3] = 2/log2(2) + 0 + 3/log2(4) + 1/log2(5) = 2 + 1.5 + 0.4306766 = 3.9306766
        // IDCG@5 (grades 3, 2, 1) = 3 + 2/log2(3) + 1/log2(4) = 3 + 1.2618595 + 0.5 = 4.7618595
        Assert.Equal(3.9306766 / 4.7618595, RankingMetrics.NdcgAt([2, 9, 1, 3], Judgments, 5), 6);
        Assert.Equal(1.0, RankingMetrics.NdcgAt([1, 2, 3], Judgments, 5), 9);
        Assert.Equal(0.0, RankingMetrics.NdcgAt([7, 8, 9], Judgments, 5));
    }

    [Fact]
    public void Ndcg_at_k_ignores_documents_past_k()
    {
        // At k=1 only doc 2 counts: 2 / 3.
        Assert.Equal(2.0 / 3.0, RankingMetrics.NdcgAt([2, 1], Judgments, 1), 9);
    }

    [Fact]
    public void Mrr_counts_only_grades_of_two_or_more()
    {
        Assert.Equal(1.0, RankingMetrics.MrrAt([2, 9, 1], Judgments, 10));
        Assert.Equal(1.0 / 3.0, RankingMetrics.MrrAt([9, 3, 1], Judgments, 10), 9); // doc 3 is grade 1: not relevant
        Assert.Equal(0.0, RankingMetrics.MrrAt([9, 3, 1], Judgments, 2));
    }

    [Fact]
    public void Recall_is_the_share_of_grade_two_plus_documents_found()
    {
        Assert.Equal(1.0, RankingMetrics.RecallAt([2, 9, 1, 3], Judgments, 25));
        Assert.Equal(0.5, RankingMetrics.RecallAt([9, 3, 1], Judgments, 25));
        Assert.Equal(0.5, RankingMetrics.RecallAt([1, 1, 1], Judgments, 25)); // duplicates count once
    }

    [Fact]
    public async Task Runner_averages_metrics_and_keeps_each_run()
    {
        var queries = new[]
        {
            new JudgedQuery("q1", "first", Judgments),
            new JudgedQuery("q2", "second", new Dictionary<int, int> { [5] = 3 }),
        };
        var pipeline = new FixedPipeline(new() { ["first"] = [1, 2, 3], ["second"] = [4, 5] });
        var result = await EvaluationRunner.EvaluateAsync(pipeline, queries);

        Assert.Equal([1, 2, 3], result.Runs["q1"]);
        Assert.Equal((1.0 + 1.0 / Math.Log2(3)) / 2, result.Metrics.NdcgAt5, 9); // q1 perfect; q2 rank 2
        Assert.Equal((1.0 + 0.5) / 2, result.Metrics.MrrAt10, 9);
        Assert.Equal(2.0, result.MeanStageMs["search"], 9);
    }

    [Fact]
    public async Task Qrels_files_load_and_bad_lines_are_named()
    {
        using var temp = new TempDirectory();
        var good = temp.File("q.jsonl", """{"id":"d01","query":"bats","kind":"thematic","judgments":{"13":3,"58":2}}""" + "\n");
        var loaded = await QrelsFile.LoadAsync(good);
        Assert.Equal(3, loaded.Single().Judgments[13]);

        var bad = temp.File("bad.jsonl", "{\"id\":\"d01\",\"query\":\"x\",\"judgments\":{}}\n{oops\n");
        var ex = await Assert.ThrowsAsync<FormatException>(() => QrelsFile.LoadAsync(bad));
        Assert.Contains("bad.jsonl:2", ex.Message);
    }

    private sealed class FixedPipeline(Dictionary<string, int[]> rankings) : IEvaluatedPipeline
    {
        public string Name => "fixed";
        public Task<PipelineRun> RunAsync(string query, CancellationToken cancellationToken = default) =>
            Task.FromResult(new PipelineRun(rankings[query], new Dictionary<string, double> { ["search"] = 2.0 }));
    }
}
