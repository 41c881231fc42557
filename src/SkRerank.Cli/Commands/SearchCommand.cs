using System.CommandLine;
using System.Diagnostics;
using SkRerank.Cli.Composition;
using SkRerank.Cli.Output;
using SkRerank.Cli.Validation;
using SkRerank.Search;

namespace SkRerank.Cli.Commands;

/// <summary><c>skrerank search "query"</c>: two-stage search, printed like the cookbook or as JSON.</summary>
internal static class SearchCommand
{
    // The words the offline English models know (arctic-embed-xs and MiniLM share BERT's uncased vocabulary).
    private static readonly Lazy<IReadOnlySet<string>> EnglishWords = new(() => SkRerank.Onnx.Embeddings.OnnxEmbeddingModel.ArcticEmbedXs.ReadWholeWords());

    public static Command Create()
    {
        var query = new Argument<string>("query") { Description = "What to look for, e.g. \"super hero mystery action movie about bats\"." };
        var top = new Option<int>("--top") { Description = "How many reranked results to show (1-20).", DefaultValueFactory = _ => 5 };
        var genre = new Option<string?>("--genre") { Description = "Only movies of this genre." };
        var director = new Option<string?>("--director") { Description = "Only movies by this director (a unique part of the name is enough, e.g. Nolan)." };
        var json = new Option<bool>("--json") { Description = "Print one JSON object instead of a table." };

        var command = new Command("search", "Search the movies: vector search for candidates, then rerank them.")
        {
            query, top, genre, director, json,
        };
        command.SetAction((result, cancellationToken) => CliRunner.RunAsync(result, cancellationToken, async (context, ct) =>
        {
            var clock = Stopwatch.StartNew();
            // Everything that can be checked without models is checked first: a mistake costs milliseconds, not a model load.
            var settings = CliOptions.ReadSettings(result);
            var request = new MovieSearchRequest
            {
                Query = result.GetValue(query) ?? "",
                TopN = result.GetValue(top),
                Candidates = settings.Candidates,
                Genre = result.GetValue(genre),
                Director = result.GetValue(director),
            };
            SearchRequestCheck.Validate(request);
            settings = await Preflight.CheckAsync(settings, context, ct);

            await using var pipeline = await SearchPipeline.BuildAsync(settings, context.LoggerFactory, context.Error, ct);
            // Listening starts after indexing so the tree shows the search only.
            using var trace = result.GetValue(CliOptions.Trace) ? new SpanTreeRecorder() : null;
            var response = await pipeline.Search.SearchAsync(request, ct);

            var r = pipeline.IndexReport;
            if (!result.GetValue(json))
                context.Error.WriteLine($"Ready in {clock.Elapsed.TotalSeconds:0.0} s: {r.Count} movies, {r.Embedded} embedded, {r.FromCache} from cache (indexing {r.Elapsed.TotalSeconds:0.0} s).");
            if (QueryReadability.Notice(request.Query, pipeline.Catalog, EnglishWords.Value) is { } notice) context.Error.WriteLine(notice);
            if (result.GetValue(json)) SearchPrinter.WriteJson(context.Output, response);
            else SearchPrinter.WriteTable(context.Output, response, pipeline.FirstStageName, pipeline.FirstStageScore);
            trace?.Write(context.Error);
            return 0;
        }));
        return command;
    }
}
