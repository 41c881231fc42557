#!/usr/bin/env dotnet
// The cookbook "How to Improve Search with Rerankers", step by step in C# with SkRerank, as a file-based app:
//   dotnet run notebooks/search-with-reranking.cs
// Offline on the local models by default; on Together AI when TOGETHER_API_KEY is set. The same walkthrough as
// notebooks/search-with-reranking.ipynb.
#:project ../src/SkRerank.Onnx/SkRerank.Onnx.csproj
#:package Microsoft.SemanticKernel.Connectors.OpenAI
#:package ScottPlot
#:property PublishAot=false

using Microsoft.Extensions.DependencyInjection;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.Connectors.OpenAI;
using SkRerank.Indexing;
using SkRerank.Movies;
using SkRerank.Plugin;
using SkRerank.Search;

// 1. Pick the provider and build a kernel with the movie search. One call registers the embedding generator (with a
//    disk cache), the vector store collection, the reranker and the search_movies plugin.
var togetherKey = Environment.GetEnvironmentVariable("TOGETHER_API_KEY");
var useTogether = !string.IsNullOrWhiteSpace(togetherKey);
Console.WriteLine(useTogether
    ? "Provider: Together AI (BAAI/bge-base-en-v1.5 embeddings, Salesforce/Llama-Rank-V1 reranker)"
    : "Provider: local (snowflake-arctic-embed-xs in int8, then the offline fusion reranker). Set TOGETHER_API_KEY to use Together AI.");

var builder = Kernel.CreateBuilder();
if (useTogether) builder.AddTogetherMovieSearch();
else builder.AddLocalMovieSearch();
// The cookbook's first stage is pure vector search (the CLI's default also fuses in BM25).
builder.Services.Configure<MovieSearchOptions>(o => o.FirstStage = FirstStageMode.Vector);
if (useTogether)
{
    var baseUrl = Environment.GetEnvironmentVariable("TOGETHER_BASE_URL") ?? "https://api.together.xyz/v1";
    builder.AddOpenAIChatCompletion("meta-llama/Llama-3.3-70B-Instruct-Turbo", new Uri(baseUrl), togetherKey!);
}
var kernel = builder.Build();

// 2. Load the dataset: 1000 movies with title, overview, director, genres and tagline.
var datasetPath = await new MovieDatasetLocator().LocateAsync(explicitPath: null);
var movies = await MovieDataset.LoadAsync(datasetPath);
Console.WriteLine($"{movies.Count} movies from {datasetPath}");
Console.WriteLine($"First: {movies[0].Title} ({movies[0].Director}): {movies[0].ToEmbeddingText().ReplaceLineEndings(" | ")}");

// 3. Embed and index. Explicit and idempotent; vectors are cached on disk, so the second run takes about a second.
var report = await kernel.Services.GetRequiredService<MovieIndexer>().IndexAsync(movies);
Console.WriteLine($"Indexed {report.Count} movies ({report.Embedded} embedded, {report.FromCache} from the cache), {report.Dimensions}-d vectors, in {report.Elapsed.TotalSeconds:0.0} s");

// 4. Stage 1: vector search for the 25 nearest movies. We let the reranker score all 25 (TopN = 25) so that the
//    chart below can show every candidate; its top 5 are the answer.
const string query = "super hero mystery action movie about bats";
var search = kernel.Services.GetRequiredService<MovieSearchService>();
var response = await search.SearchAsync(new MovieSearchRequest { Query = query, Candidates = 25, TopN = 25 });
Console.WriteLine($"\nQuery: {query}\n\nStage 1, vector search top 25 ({response.Timings.EmbedMs + response.Timings.SearchMs:0} ms):");
foreach (var candidate in response.Candidates)
    Console.WriteLine($"  {candidate.Rank,2}. {candidate.Movie.Title,-50} cosine {candidate.VectorScore:0.000}");

// 5. Stage 2: the reranker scores the candidates again and keeps the best 5. Offline that is the local fusion reranker
//    (two embedding models over every movie field plus BM25: not a cross-encoder); on Together, Llama-Rank, a
//    cross-encoder that reads query and movie together.
Console.WriteLine($"\nStage 2, reranked by {response.Reranker?.ModelId ?? "(none)"} ({response.Timings.RerankMs:0} ms):");
foreach (var result in response.Results.Take(5))
    Console.WriteLine($"  {result.Rank}. {result.Movie.Title,-50} relevance {result.RelevanceScore,7:0.000}   (was #{result.CandidateRank})");

// 6. Compare: what reranking changed in the top 5.
var vectorTop5 = response.Candidates.Take(5).Select(c => c.Movie.Title).ToList();
var rerankedTop5 = response.Results.Take(5).Select(r => r.Movie.Title).ToList();
Console.WriteLine($"\nPromoted into the top 5: {string.Join(", ", rerankedTop5.Except(vectorTop5).DefaultIfEmpty("none"))}");
Console.WriteLine($"Dropped from the top 5:  {string.Join(", ", vectorTop5.Except(rerankedTop5).DefaultIfEmpty("none"))}");

// 7. A picture: every candidate's reranker score against its first-stage rank. Points far to the right with high
//    scores are what reranking rescued from deep in the vector list.
var plot = new ScottPlot.Plot();
var others = response.Results.Skip(5).ToList();
var top = response.Results.Take(5).ToList();
var rest = plot.Add.Markers(others.Select(r => (double)r.CandidateRank).ToArray(), others.Select(r => r.RelevanceScore).ToArray());
rest.Color = ScottPlot.Colors.Gray;
rest.LegendText = "other candidates";
var best = plot.Add.Markers(top.Select(r => (double)r.CandidateRank).ToArray(), top.Select(r => r.RelevanceScore).ToArray());
best.Color = ScottPlot.Colors.OrangeRed;
best.MarkerSize = 10;
best.LegendText = "reranked top 5";
foreach (var result in top)
{
    var label = plot.Add.Text(result.Movie.Title, result.CandidateRank + 0.4, result.RelevanceScore);
    label.LabelFontSize = 11;
}
plot.Title($"Reranking \"{query}\"");
plot.XLabel("Stage-1 rank (vector search)");
plot.YLabel("Reranker relevance score");
plot.ShowLegend();
var chartFolder = Path.Combine(Path.GetTempPath(), "skrerank-notebooks");
Directory.CreateDirectory(chartFolder);
var chartPath = Path.Combine(chartFolder, "rerank-scores.png");
plot.SavePng(chartPath, 1000, 560);
Console.WriteLine($"\nChart: {chartPath}");

// 8. Hand search_movies to a kernel: the plugin is already in kernel.Plugins, ready for an agent.
var function = kernel.Plugins[MovieSearchPlugin.PluginName]["search_movies"];
Console.WriteLine($"\nkernel.Plugins[\"movies\"]: {function.Name}({string.Join(", ", function.Metadata.Parameters.Select(p => p.Name))})");
var invoked = await kernel.InvokeAsync(function, new KernelArguments { ["query"] = query, ["top_n"] = 3 });
foreach (var hit in invoked.GetValue<IReadOnlyList<MovieSearchHit>>()!)
    Console.WriteLine($"  {hit.Title} ({hit.Director}; {string.Join(", ", hit.Genres)}) relevance {hit.RelevanceScore}, reranked: {hit.Reranked}");

if (useTogether)
{
    // With a chat model, the kernel calls search_movies by itself.
    var settings = new OpenAIPromptExecutionSettings { FunctionChoiceBehavior = FunctionChoiceBehavior.Auto() };
    Console.WriteLine(await kernel.InvokePromptAsync("Recommend a superhero mystery about bats from the movie catalogue.", new(settings)));
}
else
{
    Console.WriteLine("\n(Set TOGETHER_API_KEY to let Llama 3.3 call search_movies through FunctionChoiceBehavior.Auto().)");
}
