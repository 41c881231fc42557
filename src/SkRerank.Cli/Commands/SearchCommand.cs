using System.CommandLine;
using SkRerank.Cli.Composition;
using SkRerank.Cli.Output;
using SkRerank.Search;

namespace SkRerank.Cli.Commands;

/// <summary><c>skrerank search "query"</c>: two-stage search, printed like the cookbook or as JSON.</summary>
internal static class SearchCommand
{
    public static Command Create()
    {
        var query = new Argument<string>("query") { Description = "What to look for, e.g. \"super hero mystery action movie about bats\"." };
        var top = new Option<int>("--top") { Description = "How many reranked results to show (1-20).", DefaultValueFactory = _ => 5 };
        var genre = new Option<string?>("--genre") { Description = "Only movies of this genre." };
        var director = new Option<string?>("--director") { Description = "Only movies by this director." };
        var json = new Option<bool>("--json") { Description = "Print one JSON object instead of a table." };

        var command = new Command("search", "Search the movies: vector search for candidates, then rerank them.")
        {
            query, top, genre, director, json,
        };
        command.SetAction((result, cancellationToken) => CliRunner.RunAsync(result, cancellationToken, async (context, ct) =>
        {
            var settings = CliOptions.ReadSettings(result);
            if (result.GetValue(top) is < 1 or > MovieSearchOptions.MaxTopN)
                throw new CliException($"--top must be between 1 and {MovieSearchOptions.MaxTopN}.");

            await using var pipeline = await SearchPipeline.BuildAsync(settings, context.LoggerFactory, context.Error, ct);
            var response = await pipeline.Search.SearchAsync(new MovieSearchRequest
            {
                Query = result.GetValue(query) ?? "",
                TopN = result.GetValue(top),
                Candidates = settings.Candidates,
                Genre = result.GetValue(genre),
                Director = result.GetValue(director),
            }, ct);

            if (result.GetValue(json)) SearchPrinter.WriteJson(context.Output, response);
            else
            {
                var r = pipeline.IndexReport;
                context.Error.WriteLine($"Index: {r.Count} movies, {r.Embedded} embedded, {r.FromCache} from cache ({r.Elapsed.TotalSeconds:0.0} s)");
                SearchPrinter.WriteTable(context.Output, response, pipeline.FirstStageName);
            }
            return 0;
        }));
        return command;
    }
}
