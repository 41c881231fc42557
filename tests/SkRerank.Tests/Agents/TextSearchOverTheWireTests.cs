using System.ClientModel;
using System.Text.Json.Nodes;
using Microsoft.Agents.AI;
using Microsoft.Extensions.AI;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;
using Microsoft.SemanticKernel.Connectors.OpenAI;
using Microsoft.SemanticKernel.Data;
using OpenAI;
using SkRerank.Tests.TextSearch;
using SkRerank.TextSearch;
using AgentTextSearchProvider = Microsoft.Agents.AI.TextSearchProvider;
using SkTextSearchProvider = Microsoft.SemanticKernel.Data.TextSearchProvider;

namespace SkRerank.Tests.Agents;

/// <summary>
/// Reranked FAQ search in SK's own retrieval paths, over HTTP to the scripted OpenAI-compatible server: what the model
/// receives (tool result or injected context) is the reranked top N, not the vector search's order.
/// </summary>
[Collection("faq")]
public sealed class TextSearchOverTheWireTests(FaqFixture faq)
{
    private const string Question = "how do I get my money back";

    /// <summary>The FAQ questions (result names) the reranked search returns, best first.</summary>
    private async Task<List<string>> RerankedNamesAsync(int top)
    {
        var names = new List<string>();
        await foreach (var r in (await faq.TextSearch.WithReranking(faq.Reranker).GetTextSearchResultsAsync(Question, new TextSearchOptions { Top = top })).Results)
            names.Add(r.Name!);
        return names;
    }

    private async Task<List<string>> VectorNamesAsync(int top)
    {
        var names = new List<string>();
        await foreach (var r in (await faq.TextSearch.GetTextSearchResultsAsync(Question, new TextSearchOptions { Top = top })).Results)
            names.Add(r.Name!);
        return names;
    }

    [Fact]
    public async Task A_CreateWithGetTextSearchResults_plugin_gives_the_model_the_reranked_results()
    {
        await using var server = await ScriptedChatServer.StartAsync(
            request => ScriptedChatServer.ToolCalls("m", ("call_1", ScriptedChatServer.ToolName(request, "GetTextSearchResults"), $$"""{"query":"{{Question}}","count":3}""")),
            _ => ScriptedChatServer.Answer("m", "Cancel within 30 days for a full refund."));
        var builder = Kernel.CreateBuilder();
        builder.AddOpenAIChatCompletion("m", new Uri(server.BaseUrl), "key");
        var kernel = builder.Build();

        kernel.Plugins.Add(faq.TextSearch.WithReranking(faq.Reranker).CreateWithGetTextSearchResults("faq"));
        var settings = new OpenAIPromptExecutionSettings { FunctionChoiceBehavior = FunctionChoiceBehavior.Auto() };
        var answer = await kernel.InvokePromptAsync(Question, new(settings));

        Assert.Equal("Cancel within 30 days for a full refund.", answer.ToString());
        var toolResult = JsonNode.Parse(server.Requests[1].ToolResults["call_1"])!.AsArray();
        var sent = toolResult.Select(r => r!["Name"]!.GetValue<string>()).ToList();
        Assert.Equal(await RerankedNamesAsync(3), sent);
        Assert.Equal("Can I cancel my plan?", sent[0]);
        Assert.NotEqual(await VectorNamesAsync(3), sent);
        Assert.StartsWith("https://help.example.com/faq/", toolResult[0]!["Link"]!.GetValue<string>());
    }

    [Fact]
    public async Task SKs_TextSearchProvider_injects_the_reranked_top_n_as_a_chat_completion_agent_would()
    {
        await using var server = await ScriptedChatServer.StartAsync(_ => ScriptedChatServer.Answer("m", "See 'Can I cancel my plan?'."));
        var builder = Kernel.CreateBuilder();
        builder.AddOpenAIChatCompletion("m", new Uri(server.BaseUrl), "key");
        var kernel = builder.Build();
        var provider = new SkTextSearchProvider(faq.TextSearch.WithReranking(faq.Reranker), options: new Microsoft.SemanticKernel.Data.TextSearchProviderOptions { Top = 3 });

        // ChatCompletionAgent (Microsoft.SemanticKernel.Agents.Core, not served to this build) asks its thread's
        // AIContextProviders before each turn and sends their instructions as a system message after its own.
        var context = await provider.ModelInvokingAsync([new ChatMessage(ChatRole.User, Question)]);
        var history = new ChatHistory("You answer questions about SyncBox from its help centre.");
        history.AddSystemMessage(context.Instructions!);
        history.AddUserMessage(Question);
        await kernel.GetRequiredService<IChatCompletionService>().GetChatMessageContentAsync(history, kernel: kernel);

        var injected = server.Requests[0].Body["messages"]!.AsArray()[1]!["content"]!.ToString();
        Assert.Equal(await RerankedNamesAsync(3), SourceNames(injected, "SourceDocName: "));
        Assert.DoesNotContain((await RerankedNamesAsync(4))[3], injected);
    }

    [Fact]
    public async Task The_agent_frameworks_TextSearchProvider_on_a_ChatClientAgent_injects_the_reranked_top_n()
    {
        await using var server = await ScriptedChatServer.StartAsync(_ => ScriptedChatServer.Answer("m", "Cancel within 30 days."));
        IChatClient chatClient = new OpenAI.Chat.ChatClient("m", new ApiKeyCredential("key"), new OpenAIClientOptions { Endpoint = new Uri(server.BaseUrl) })
            .AsIChatClient();
        var reranked = faq.TextSearch.WithReranking(faq.Reranker);
        // Its provider takes a search delegate: the reranked search, top 3, mapped to its result type.
        var provider = new AgentTextSearchProvider(async (query, cancellationToken) =>
        {
            var results = await reranked.GetTextSearchResultsAsync(query, new TextSearchOptions { Top = 3 }, cancellationToken);
            var mapped = new List<AgentTextSearchProvider.TextSearchResult>();
            await foreach (var r in results.Results.WithCancellation(cancellationToken))
                mapped.Add(new AgentTextSearchProvider.TextSearchResult { SourceName = r.Name, SourceLink = r.Link, Text = r.Value });
            return mapped;
        });
        var agent = new ChatClientAgent(chatClient, new ChatClientAgentOptions
        {
            ChatOptions = new ChatOptions { Instructions = "You answer questions about SyncBox from its help centre." },
            AIContextProviders = [provider],
        });

        var response = await agent.RunAsync(Question);

        Assert.Equal("Cancel within 30 days.", response.Text);
        var sent = server.Requests[0].Body["messages"]!.ToJsonString();
        var names = await RerankedNamesAsync(3);
        var positions = names.Select(n => sent.IndexOf(n.Replace("'", "\\u0027"), StringComparison.Ordinal)).ToList();
        Assert.All(positions, p => Assert.True(p >= 0, sent));
        Assert.Equal(positions.Order(), positions);
        Assert.DoesNotContain((await RerankedNamesAsync(4))[3], sent);
    }

    private static List<string> SourceNames(string context, string prefix) =>
        context.Split('\n').Where(l => l.StartsWith(prefix, StringComparison.Ordinal)).Select(l => l[prefix.Length..].Trim()).ToList();
}
