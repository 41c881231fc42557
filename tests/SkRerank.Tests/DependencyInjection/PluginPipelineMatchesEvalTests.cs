using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.SemanticKernel;
using SkRerank.Indexing;
using SkRerank.Movies;
using SkRerank.Plugin;
using SkRerank.Search;
using SkRerank.Tests.Support;

namespace SkRerank.Tests.DependencyInjection;

/// <summary>
/// What an SK application registers with the README's one call is the pipeline <c>skrerank eval</c> measures: the
/// dev queries get the same rankings through a Kernel's <c>movies.search_movies</c> as through eval's <c>default</c>;
/// and that pipeline answers the cookbook's own query as the README shows.
/// </summary>
public sealed class PluginPipelineMatchesEvalTests(PluginPipelineMatchesEvalTests.IndexedKernel indexed) : IClassFixture<PluginPipelineMatchesEvalTests.IndexedKernel>
{
    private const int TopN = 20;

    [Fact]
    public async Task Kernel_search_movies_ranks_the_dev_queries_exactly_as_eval_default()
    {
        var function = indexed.Kernel.Plugins[MovieSearchPlugin.PluginName]["search_movies"];
        var queries = File.ReadLines(indexed.Qrels).Where(l => l.Trim().Length > 0)
            .Select(l => JsonDocument.Parse(l).RootElement)
            .Select(e => (Id: e.GetProperty("id").GetString()!, Query: e.GetProperty("query").GetString()!))
            .ToList();
        var plugin = new Dictionary<string, int[]>();
        foreach (var (id, query) in queries)
        {
            var result = await indexed.Kernel.InvokeAsync(function, new KernelArguments { ["query"] = query, ["top_n"] = TopN });
            plugin[id] = result.GetValue<IReadOnlyList<MovieSearchHit>>()!.Select(h => h.Id).ToArray();
        }

        // The same cache folder: the CLI reads the vectors the kernel's indexing wrote (and would be wrong if its recipe differed).
        var eval = await CliProcess.RunAsync(["eval", "--json", "--pipeline", "default", "--qrels", indexed.Qrels, "--dataset", indexed.Dataset, "--cache-dir", indexed.Cache],
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

    [Fact]
    public async Task The_cookbook_query_finds_The_Dark_Knight_in_the_first_stage_and_judged_films_in_the_top_5()
    {
        var d01 = File.ReadLines(indexed.Qrels).Select(l => JsonDocument.Parse(l).RootElement).Single(e => e.GetProperty("id").GetString() == "d01");
        var judged = d01.GetProperty("judgments").EnumerateObject().Where(j => j.Value.GetInt32() > 0).Select(j => int.Parse(j.Name)).ToHashSet();

        var response = await indexed.Kernel.Services.GetRequiredService<MovieSearchService>()
            .SearchAsync(new MovieSearchRequest { Query = d01.GetProperty("query").GetString()! });

        var firstStage = response.Candidates.Take(25).Select(c => c.Movie.Title).ToList();
        Assert.Contains("The Dark Knight", firstStage);
        Assert.True(response.Results.Count(r => judged.Contains(r.Movie.Id)) >= 2,
            $"top 5: {string.Join(", ", response.Results.Select(r => r.Movie.Title))}");
    }

    /// <summary>A Kernel built with the README's one call, with the 1000 movies indexed (once for the class: it embeds them all).</summary>
    public sealed class IndexedKernel : IAsyncLifetime
    {
        private readonly TempDirectory _temp = new();

        public string Qrels { get; } = SharedData.DevQrels ?? throw new InvalidOperationException("../shared/eval/dev.jsonl not found beside the clone.");
        public string Dataset { get; } = SharedData.MoviesJson ?? throw new InvalidOperationException("../shared/datasets/movies.json not found beside the clone.");
        public string Cache => _temp.File("cache");
        public Kernel Kernel { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            var builder = Kernel.CreateBuilder();
            builder.AddLocalMovieSearch(o => o.CacheDirectory = Cache);
            Kernel = builder.Build();
            await Kernel.Services.GetRequiredService<MovieIndexer>().IndexAsync(await MovieDataset.LoadAsync(Dataset));
        }

        public Task DisposeAsync()
        {
            (Kernel?.Services as IDisposable)?.Dispose();
            _temp.Dispose();
            return Task.CompletedTask;
        }
    }
}
