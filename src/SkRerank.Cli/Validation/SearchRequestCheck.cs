using SkRerank.Cli.Composition;
using SkRerank.Search;

namespace SkRerank.Cli.Validation;

/// <summary>The checks <see cref="MovieSearchService.SearchAsync"/> makes on a request that need no index, made before one is built.</summary>
internal static class SearchRequestCheck
{
    public static void Validate(MovieSearchRequest request)
    {
        if (string.IsNullOrWhiteSpace(request.Query))
            throw new CliException("The search query is empty; describe the movie you are looking for, e.g. skrerank search \"heist movie with a twist\".");
        if (request.Query.Length > MovieSearchService.MaxQueryLength)
            throw new CliException($"The search query is {request.Query.Length:N0} characters long; the limit is {MovieSearchService.MaxQueryLength:N0}.");
        if (request.TopN is < 1 or > MovieSearchOptions.MaxTopN)
            throw new CliException($"--top must be between 1 and {MovieSearchOptions.MaxTopN}, but was {request.TopN}.");
        if (request.Candidates < request.TopN)
            throw new CliException($"--candidates ({request.Candidates}) must be at least --top ({request.TopN}): the reranker picks the top {request.TopN} from the candidates.");
        if (!string.IsNullOrWhiteSpace(request.Genre) && SkRerank.Movies.MovieGenres.Canonicalize(request.Genre) is null)
            throw new CliException($"Unknown genre '{request.Genre.Trim()}'. Known genres: {string.Join(", ", SkRerank.Movies.MovieGenres.Known)}.");
    }
}
