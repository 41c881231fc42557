using System.Text.Json;
using SkRerank.Tests.Support;

namespace SkRerank.Tests.Cli;

/// <summary>The <c>skrerank eval</c> contract, run as a real process on a small judged set.</summary>
public class EvalCommandTests
{
    [Fact]
    public async Task Json_lists_each_pipeline_with_metrics_and_runs_of_at_least_25_ids()
    {
        using var temp = new TempDirectory();
        var dataset = CliProcess.WriteMovieSubset(temp, 40);
        // Ids refer to the first 40 movies: 13 = The Dark Knight, 17 = Batman v Superman, 14 = The Martian, 1 = Interstellar.
        var qrels = temp.File("q.jsonl",
            """{"id":"q1","query":"super hero mystery action movie about bats","judgments":{"13":3,"17":2}}""" + "\n" +
            """{"id":"q2","query":"astronaut stranded on mars","judgments":{"14":3,"1":1}}""" + "\n");

        var result = await CliProcess.RunAsync(["eval", "--qrels", qrels, "--json", "--pipeline", "stage1", "--pipeline", "default",
            "--dataset", dataset, "--cache-dir", temp.File("cache"), "--embeddings", "minilm"]);

        Assert.True(result.ExitCode == 0, result.Error);
        using var json = JsonDocument.Parse(result.Output);
        var pipelines = json.RootElement.GetProperty("pipelines").EnumerateArray().ToList();
        Assert.Equal(["stage1", "default"], pipelines.Select(p => p.GetProperty("name").GetString()));
        foreach (var pipeline in pipelines)
        {
            var metrics = pipeline.GetProperty("metrics");
            foreach (var key in new[] { "ndcg@5", "ndcg@10", "mrr@10", "recall@25" })
                Assert.InRange(metrics.GetProperty(key).GetDouble(), 0, 1);
            var runs = pipeline.GetProperty("runs");
            Assert.Equal(["q1", "q2"], runs.EnumerateObject().Select(r => r.Name));
            Assert.All(runs.EnumerateObject(), r => Assert.True(r.Value.GetArrayLength() >= 25));
            Assert.All(runs.EnumerateObject(), r => Assert.Equal(r.Value.GetArrayLength(), r.Value.EnumerateArray().Select(i => i.GetInt32()).Distinct().Count()));
        }
        // The Martian is the obvious answer to q2 under any pipeline.
        Assert.All(pipelines, p => Assert.Contains(14, p.GetProperty("runs").GetProperty("q2").EnumerateArray().Take(5).Select(i => i.GetInt32())));
    }

    [Fact]
    public async Task Table_output_names_the_metrics_and_an_unknown_pipeline_is_a_clear_error()
    {
        using var temp = new TempDirectory();
        var dataset = CliProcess.WriteMovieSubset(temp, 30);
        var qrels = temp.File("q.jsonl", """{"id":"q1","query":"pirates","judgments":{"6":3}}""" + "\n");
        var table = await CliProcess.RunAsync(["eval", "--qrels", qrels, "--pipeline", "hybrid", "--dataset", dataset, "--cache-dir", temp.File("cache"), "--embeddings", "minilm"]);
        Assert.True(table.ExitCode == 0, table.Error);
        Assert.Contains("nDCG@5", table.Output);
        Assert.Contains("hybrid", table.Output);

        var bad = await CliProcess.RunAsync(["eval", "--qrels", qrels, "--pipeline", "magic+local", "--dataset", dataset, "--cache-dir", temp.File("cache")]);
        Assert.Equal(1, bad.ExitCode);
        Assert.Contains("Unknown pipeline 'magic+local'", bad.Error);
    }
}
