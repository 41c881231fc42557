using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.VectorData;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.Connectors.OpenAI;
using SkRerank.Indexing;
using SkRerank.Movies;
using SkRerank.Reranking;
using SkRerank.Search;
using SkRerank.Tests.TextSearch;
using SkRerank.Together;
using Microsoft.SemanticKernel.Data;

namespace SkRerank.Tests.Snippets;

/// <summary>
/// The code README.md shows, compiled and run by <see cref="AgentsReadmeSnippetsTests"/>. The text
/// between <c>begin-snippet: NAME</c> and <c>end-snippet</c> must appear verbatim in the docs; edit both together.
/// </summary>
public static class ReadmeSnippets
{
    public static async Task<string> SemanticKernelAsync(Uri endpoint, string apiKey, string moviesJson, string cacheDirectory)
    {
        // begin-snippet: semantic-kernel
        var builder = Kernel.CreateBuilder();
        builder.AddOpenAIChatCompletion("meta-llama/Llama-3.3-70B-Instruct-Turbo", endpoint, apiKey);
        // Offline: arctic-embed-xs vectors cached on disk, the local fusion reranker, and the "movies" plugin.
        // (builder.AddTogetherMovieSearch() does the same on Together's embeddings and Llama-Rank.)
        builder.AddLocalMovieSearch(o => o.CacheDirectory = cacheDirectory);
        Kernel kernel = builder.Build();

        // Indexing is explicit and idempotent: a restart re-reads the vectors from the cache.
        var movies = await MovieDataset.LoadAsync(moviesJson);
        await kernel.Services.GetRequiredService<MovieIndexer>().IndexAsync(movies);

        var settings = new OpenAIPromptExecutionSettings { FunctionChoiceBehavior = FunctionChoiceBehavior.Auto() };
        var answer = await kernel.InvokePromptAsync("Find me a bat superhero mystery", new(settings));
        Console.WriteLine(answer);
        // end-snippet
        return answer.ToString();
    }

    public static async Task<string> ExtensionsAIAsync(IChatClient chatClient, string moviesJson, string cacheDirectory)
    {
        // begin-snippet: extensions-ai
        Kernel kernel = Kernel.CreateBuilder().AddLocalMovieSearch(o => o.CacheDirectory = cacheDirectory).Build();
        await kernel.Services.GetRequiredService<MovieIndexer>().IndexAsync(await MovieDataset.LoadAsync(moviesJson));

        // The plugin's functions are Microsoft.Extensions.AI AIFunctions (named "movies_search_movies"):
        // hand them to any IChatClient, or to an Agent Framework agent.
        IList<AITool> tools = [.. kernel.Plugins["movies"].AsAIFunctions(kernel)];
        IChatClient client = chatClient.AsBuilder()
            .UseFunctionInvocation(configure: f => f.IncludeDetailedErrors = true) // the model reads why a call failed
            .Build();
        ChatResponse response = await client.GetResponseAsync("Find me a bat superhero mystery", new ChatOptions { Tools = tools });
        Console.WriteLine(response.Text);
        // end-snippet
        return response.Text;
    }

    public static MovieSearchService BringYourOwn(
        IEmbeddingGenerator<string, Embedding<float>> embeddingGenerator,
        VectorStoreCollection<int, Movie> collection,
        IReranker reranker)
    {
        // begin-snippet: bring-your-own
        var services = new ServiceCollection();
        services.AddMovieSearch(o => o.Candidates = 50)
            .UseEmbeddingGenerator(embeddingGenerator) // the model the collection is indexed with
            .UseCollection(collection)                 // any VectorData connector: Qdrant, Postgres, Azure AI Search, ...
            .UseReranker(reranker);                    // any IReranker, e.g. TogetherReranker or OnnxCrossEncoderReranker
        // end-snippet
        return services.BuildServiceProvider().GetRequiredService<MovieSearchService>();
    }

    public static async Task<string> RerankYourOwnDataAsync(Uri endpoint, string apiKey, VectorStoreCollection<string, FaqEntry> collection, IReranker reranker)
    {
        // begin-snippet: rerank-own-data
        var builder = Kernel.CreateBuilder();
        builder.AddOpenAIChatCompletion("meta-llama/Llama-3.3-70B-Instruct-Turbo", endpoint, apiKey);
        Kernel kernel = builder.Build();

        // SK's text search over your own collection, as your app has it today...
        var textSearch = new VectorStoreTextSearch<FaqEntry>(collection);
        // ...plus one line: each search reranks 25 candidates and returns the top N in the reranker's order.
        var reranked = textSearch.WithReranking(reranker);

        // As a tool the model calls (Name, Link and Value of each result, best first)...
        kernel.Plugins.Add(reranked.CreateWithGetTextSearchResults("faq"));
        var settings = new OpenAIPromptExecutionSettings { FunctionChoiceBehavior = FunctionChoiceBehavior.Auto() };
        var answer = await kernel.InvokePromptAsync("How do I get my money back?", new(settings));
        Console.WriteLine(answer);

        // ...or as automatic RAG: the reranked top 3 go into the context before each agent turn.
        var rag = new TextSearchProvider(reranked, options: new() { Top = 3 });
        // end-snippet
        Console.WriteLine((await rag.ModelInvokingAsync([new ChatMessage(ChatRole.User, "How do I get my money back?")])).Instructions);
        return answer.ToString();
    }

    public static async Task<TwoStageSearchResponse<FaqEntry>> TwoStageOverOwnRecordsAsync(
        VectorStoreCollection<string, FaqEntry> collection, IEmbeddingGenerator<string, Embedding<float>> embeddingGenerator, IReranker reranker)
    {
        // begin-snippet: two-stage-own-records
        var search = new TwoStageSearch<string, FaqEntry>(collection, embeddingGenerator, reranker, new TwoStageSearchOptions<FaqEntry>
        {
            RerankText = faq => faq.Question + "\n" + faq.Answer, // what the reranker reads
            Candidates = 25,
            TopN = 3,
        });
        var response = await search.SearchAsync(new TwoStageSearchRequest<FaqEntry>
        {
            Query = "How do I get my money back?",
            Filter = faq => faq.Category == "billing", // any filter the collection translates
        });
        foreach (var hit in response.Results)
            Console.WriteLine($"{hit.Rank}. {hit.Record.Question} (was #{hit.CandidateRank}, score {hit.RelevanceScore:0.00})");
        // end-snippet
        return response;
    }

    public static IReranker RerankerPipeline(IServiceCollection services, IReranker reranker)
    {
        // begin-snippet: reranker-pipeline
        services.AddReranker(sp => reranker)
            .UseLogging()          // LoggingReranker: Debug per call, Error on failure (queries and documents are not logged)
            .UseOpenTelemetry();   // OpenTelemetryReranker: the "rerank {model}" span and skrerank.reranker.duration
        // or, without DI:
        IReranker traced = reranker.AsBuilder().UseOpenTelemetry().Build();
        RerankerMetadata? metadata = traced.GetService<RerankerMetadata>(); // GetService reaches through decorators
        // end-snippet
        return traced;
    }

    public static IServiceCollection TogetherKeyFromConfiguration(IServiceCollection services, IConfiguration configuration)
    {
        // begin-snippet: together-environment
        services.AddTogether(o => o.RerankModel = "mixedbread-ai/Mxbai-Rerank-Large-V2");
        services.AddSingleton(new TogetherEnvironment(name => configuration[name])); // e.g. user secrets, appsettings
        // end-snippet
        return services;
    }
}
