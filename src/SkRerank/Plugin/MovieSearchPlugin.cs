using System.ComponentModel;
using Microsoft.SemanticKernel;
using SkRerank.Search;

namespace SkRerank.Plugin;

/// <summary>
/// Semantic Kernel plugin that gives agents a <c>search_movies</c> tool: vector search for candidates, then a reranker
/// that scores them again with evidence the first stage did not use (or a remote reranking model) and keeps the best.
/// </summary>
public sealed class MovieSearchPlugin
{
    /// <summary>The plugin name agents see (functions are exposed as <c>movies-search_movies</c> by SK's OpenAI connector).</summary>
    public const string PluginName = "movies";

    private readonly MovieSearchService _search;

    /// <summary>Creates the plugin over a search service.</summary>
    public MovieSearchPlugin(MovieSearchService search) => _search = search ?? throw new ArgumentNullException(nameof(search));

    /// <summary>Searches the movie collection.</summary>
    /// <param name="query">What the user wants, in natural language.</param>
    /// <param name="top_n">How many movies to return (1–20).</param>
    /// <param name="genre">Optional genre filter.</param>
    /// <param name="director">Optional director filter.</param>
    /// <param name="cancellationToken">Cancels the search.</param>
    [KernelFunction("search_movies")]
    [Description(
        "Searches a catalogue of 1000 popular movies by meaning and returns the most relevant ones, best first. " +
        "Use it to find films matching a description, plot, theme, character or mood, optionally restricted to a genre or a director. " +
        "Each result has title, director, genres, tagline, overview and a relevance score.")]
    public async Task<IReadOnlyList<MovieSearchHit>> SearchMoviesAsync(
        [Description("What to look for, in natural language, e.g. \"super hero mystery action movie about bats\". Put plot, theme and mood here; put a genre or director in their own parameters.")]
        string query,
        [Description("How many movies to return, from 1 to 20.")]
        int top_n = 5,
        [Description("Only return movies of this genre, e.g. Action, Comedy, Drama, Horror, Science Fiction, Animation, Romance, Thriller. Omit for any genre.")]
        string? genre = null,
        [Description("Only return movies by this director, e.g. \"Christopher Nolan\". Omit for any director.")]
        string? director = null,
        CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(query))
            throw new SearchArgumentException("search_movies needs a non-empty 'query' describing the movie to find.", nameof(query));
        if (top_n is < 1 or > MovieSearchOptions.MaxTopN)
            throw new SearchArgumentException($"top_n must be between 1 and {MovieSearchOptions.MaxTopN}, but was {top_n}; use {MovieSearchOptions.MaxTopN} or fewer.", nameof(top_n));

        var response = await _search.SearchAsync(
            new MovieSearchRequest { Query = query, TopN = top_n, Genre = genre, Director = director },
            cancellationToken).ConfigureAwait(false);

        return response.Results.Select(r => new MovieSearchHit
        {
            Id = r.Movie.Id,
            Title = r.Movie.Title,
            Director = r.Movie.Director,
            Genres = r.Movie.Genres,
            Tagline = r.Movie.Tagline,
            Overview = r.Movie.Overview,
            RelevanceScore = Math.Round(r.RelevanceScore, 4),
            VectorScore = Math.Round(r.VectorScore, 4),
            Reranked = response.Reranked,
        }).ToList();
    }
}
