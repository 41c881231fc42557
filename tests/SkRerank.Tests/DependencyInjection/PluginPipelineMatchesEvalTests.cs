using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.SemanticKernel;
using SkRerank.Indexing;
using SkRerank.Movies;
using SkRerank.Plugin;
using SkRerank.Tests.Support;

namespace SkRerank.Tests.DependencyInjection;

/// <summary>
/// What an SK application registers with the README's one call is the pipeline <c>skrerank eval</c> measures: the
/// dev queries get the same rankings through a Kernel's <c>movies.search_movies</c> as through eval's <c>default</c>.
/// </summary>
public sealed class PluginPipelineMatchesEvalTests
{
    private const int TopN = 20;

    [Fact]
    public async Task Kernel_search_movies_ranks_the_dev_queries_exactly_as_eval_default()
    {
        var qrels = SharedData.DevQrels ?? throw new InvalidOperationException("../shared/eval/dev.jsonl not found beside the clone.");
        var dataset = SharedData.MoviesJson ?? throw new InvalidOperationException("../shared/datasets/movies.json not found beside the clone.");
        using var temp = new TempDirectory();
        var cache = temp.File("cache");

        var builder = Kernel.CreateBuilder();
        builder.AddLocalMovieSearch(o => o.CacheDirectory = cache);
        var kernel = builder.Build();
        await kernel.Services.GetRequiredService<MovieIndexer>().IndexAsync(await MovieDataset.LoadAsync(dataset));
        var function = kernel.Plugins[MovieSearchPlugin.PluginName]["search_movies"];

        var queries = File.ReadLines(qrels).Where(l => l.Trim().Length > 0)
            .Select(l => JsonDocument.Parse(l).RootElement)
            .Select(e => (Id: e.GetProperty("id").GetString()!, Query: e.GetProperty("query").GetString()!))
            .ToList();
        var plugin = new Dictionary<string, int[]>();
        foreach (var (id, query) in queries)
        {
            var result = await kernel.InvokeAsync(function, new KernelArguments { ["query"] = query, ["top_n"] = TopN });
            plugin[id] = result.GetValue<IReadOnlyList<MovieSearchHit>>()!.Select(h => h.Id).ToArray();
        }

        // The same cache folder: the CLI reads the vectors the kernel's indexing wrote (and would be wrong if its recipe differed).
        var eval = await CliProcess.RunAsync(["eval", "--json", "--pipeline", "default", "--qrels", qrels, "--dataset", dataset, "--cache-dir", cache],
            timeout: TimeSpan.FromMinutes(10));
        Assert.True(eval.ExitCode == 0, eval.Error);
        var runs = JsonDocument.Parse(eval.Output).RootElement.GetProperty("pipelines")[0].GetProperty("runs");

        Assert.Equal(queries.Count, runs.EnumerateObject().Count());
        Assert.All(queries, q =>
        {
            var cli = runs.GetProperty(q.Id).EnumerateArray().Select(i => i.GetInt32()).Take(TopN).ToArray();
            Assert.True(cli.SequenceEqual(plugin[q.Id]),
                $"{q.Id} '{q.Query}': plugin [{string.Join(", ", plugin[q.Id])}] vs eval [{string.Join(", ", cli)}]");
        });
    }
}
