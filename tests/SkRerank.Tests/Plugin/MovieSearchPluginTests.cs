using System.Text.Json;
using Microsoft.SemanticKernel;
using SkRerank.Plugin;
using SkRerank.Tests.Support;

namespace SkRerank.Tests.Plugin;

/// <summary>search_movies as an agent meets it: through a real Semantic Kernel <see cref="Kernel"/>.</summary>
public class MovieSearchPluginTests
{
    private static (Kernel Kernel, MovieSearchFixture Fixture) KernelWith(SkRerank.Reranking.IReranker? reranker = null)
    {
        var fixture = new MovieSearchFixture(reranker ?? new RecordingReranker());
        var builder = Kernel.CreateBuilder();
        builder.Plugins.AddFromObject(new MovieSearchPlugin(fixture.Search), MovieSearchPlugin.PluginName);
        return (builder.Build(), fixture);
    }

    [Fact]
    public void The_function_is_named_search_movies_and_describes_its_parameters()
    {
        var (kernel, fixture) = KernelWith();
        using var _ = fixture;
        var function = kernel.Plugins.GetFunction(MovieSearchPlugin.PluginName, "search_movies");
        Assert.Contains("movies", function.Description);
        var parameters = function.Metadata.Parameters.ToDictionary(p => p.Name);
        Assert.Equal(["query", "top_n", "genre", "director"], function.Metadata.Parameters.Select(p => p.Name));
        Assert.True(parameters["query"].IsRequired);
        Assert.False(parameters["top_n"].IsRequired);
        Assert.Equal("5", parameters["top_n"].DefaultValue?.ToString());
        Assert.All(parameters.Values, p => Assert.False(string.IsNullOrWhiteSpace(p.Description)));
    }

    [Fact]
    public async Task Invoking_through_the_kernel_returns_reranked_hits()
    {
        var (kernel, fixture) = KernelWith();
        using var _ = fixture;
        var result = await kernel.InvokeAsync(MovieSearchPlugin.PluginName, "search_movies",
            new KernelArguments { ["query"] = "shark terrorizes a beach town", ["top_n"] = 2 });
        var hits = result.GetValue<IReadOnlyList<MovieSearchHit>>()!;
        Assert.Equal(2, hits.Count);
        Assert.Equal("Jaws", hits[0].Title);
        Assert.All(hits, h => Assert.True(h.Reranked));
        Assert.Equal("Steven Spielberg", hits[0].Director);

        // What the model reads: snake_case JSON.
        var json = JsonSerializer.Serialize(hits);
        Assert.Contains("\"relevance_score\"", json);
        Assert.Contains("\"vector_score\"", json);
    }

    [Fact]
    public async Task Filters_pass_through_from_string_arguments()
    {
        var (kernel, fixture) = KernelWith();
        using var _ = fixture;
        var result = await kernel.InvokeAsync(MovieSearchPlugin.PluginName, "search_movies",
            new KernelArguments { ["query"] = "movie", ["top_n"] = "5", ["director"] = "steven spielberg" });
        var hits = result.GetValue<IReadOnlyList<MovieSearchHit>>()!;
        Assert.Equal(["E.T. the Extra-Terrestrial", "Jaws"], hits.Select(h => h.Title).Order());
    }

    [Fact]
    public async Task A_failing_reranker_yields_first_stage_hits_marked_not_reranked()
    {
        var (kernel, fixture) = KernelWith(new FailingReranker(new TimeoutException("reranker timed out")));
        using var _ = fixture;
        var result = await kernel.InvokeAsync(MovieSearchPlugin.PluginName, "search_movies", new KernelArguments { ["query"] = "batman" });
        var hits = result.GetValue<IReadOnlyList<MovieSearchHit>>()!;
        Assert.NotEmpty(hits);
        Assert.All(hits, h => Assert.False(h.Reranked));
    }

    [Theory]
    [InlineData("", 5, "non-empty 'query'")]
    [InlineData("batman", 0, "top_n must be between 1 and 20")]
    [InlineData("batman", 500, "top_n must be between 1 and 20")]
    public async Task Bad_arguments_give_errors_a_model_can_read(string query, int topN, string expected)
    {
        var (kernel, fixture) = KernelWith();
        using var _ = fixture;
        var ex = await Assert.ThrowsAnyAsync<ArgumentException>(() => kernel.InvokeAsync(MovieSearchPlugin.PluginName, "search_movies",
            new KernelArguments { ["query"] = query, ["top_n"] = topN }));
        Assert.Contains(expected, ex.Message);
    }

    [Fact]
    public async Task A_missing_query_argument_is_reported_by_name()
    {
        var (kernel, fixture) = KernelWith();
        using var _ = fixture;
        var ex = await Assert.ThrowsAnyAsync<Exception>(() => kernel.InvokeAsync(MovieSearchPlugin.PluginName, "search_movies", new KernelArguments()));
        Assert.Contains("query", ex.Message);
    }
}
