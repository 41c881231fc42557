using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using Microsoft.Extensions.AI;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;
using SkRerank.Reranking;
using SkChatMessageContent = Microsoft.SemanticKernel.ChatMessageContent;

namespace SkRerank.Tests.Reranking;

public sealed partial class ChatCompletionRerankerTests
{
    private static readonly string[] FourDocs = ["Alien (1979)", "Aliens (1986)", "Heat (1995)", "Ronin (1998)"];

    private static ChatCompletionReranker Reranker(IChatClient client, ChatRerankMode mode = ChatRerankMode.Pointwise, Action<ChatCompletionRerankerOptions>? configure = null)
    {
        var options = new ChatCompletionRerankerOptions { Mode = mode, RetryUnparseableOutput = false };
        configure?.Invoke(options);
        return new ChatCompletionReranker(client, options);
    }

    private static int[] Order(IReadOnlyList<RerankResult> results) => results.Select(r => r.Index).ToArray();

    // ---- pointwise and listwise happy paths ----

    [Fact]
    public async Task Pointwise_grades_order_the_documents_and_scale_to_zero_one()
    {
        var client = new ScriptedChatClient("""{"grades":[{"index":1,"grade":0},{"index":2,"grade":3},{"index":3,"grade":1},{"index":4,"grade":2}]}""");

        var results = await Reranker(client).RerankAsync("space horror sequel", FourDocs);

        Assert.Equal([1, 3, 2, 0], Order(results));
        Assert.Equal([1.0, 2.0 / 3, 1.0 / 3, 0.0], results.Select(r => r.RelevanceScore), new ToleranceComparer());
        Assert.Single(client.Requests);
    }

    [Theory]
    [InlineData("[3] > [1] > [4] > [2]")]
    [InlineData("""{"ranking":[3,1,4,2]}""")]
    [InlineData("""{"ranking":["3","[1]","4","doc 2"]}""")]
    [InlineData("3 > 1 > 4 > 2")]
    [InlineData("[3, 1, 4, 2]")]
    public async Task Listwise_permutation_orders_the_documents_by_position(string reply)
    {
        var client = new ScriptedChatClient(reply);

        var results = await Reranker(client, ChatRerankMode.Listwise).RerankAsync("heist thriller", FourDocs);

        Assert.Equal([2, 0, 3, 1], Order(results));
        Assert.Equal([1.0, 0.75, 0.5, 0.25], results.Select(r => r.RelevanceScore), new ToleranceComparer());
    }

    [Fact]
    public async Task Metadata_names_the_chat_provider_and_the_clients_model_unless_options_name_one()
    {
        Assert.Equal(new RerankerMetadata("chat", "scripted-model"), Reranker(new ScriptedChatClient("")).Metadata);
        Assert.Equal(new RerankerMetadata("chat", "gpt-x"), Reranker(new ScriptedChatClient(""), configure: o => o.ModelId = "gpt-x").Metadata);
        await Task.CompletedTask;
    }

    // ---- malformed output ----

    [Fact]
    public async Task Fenced_json_surrounded_by_prose_is_read()
    {
        var client = new ScriptedChatClient("""
            Sure! Here are the grades for the [4] documents:
            ```json
            {"grades": [
              {"index": 1, "grade": 3},
              {"index": 2, "grade": 2},
              {"index": 3, "grade": 0},
              {"index": 4, "grade": 0},
            ]}
            ```
            Document [1] is the best match because it is the original.
            """);

        var results = await Reranker(client).RerankAsync("space horror", FourDocs);

        Assert.Equal([0, 1, 2, 3], Order(results));
        Assert.Equal(1.0, results[0].RelevanceScore, 6);
    }

    [Fact]
    public async Task Pointwise_ignores_duplicates_unknown_numbers_and_bad_grades_and_puts_ungraded_documents_last_in_original_order()
    {
        var client = new ScriptedChatClient("""
            {"grades":[
              {"index":3,"grade":2},
              {"index":3,"grade":0},
              {"index":9,"grade":3},
              {"index":0,"grade":3},
              {"index":1,"grade":"high"},
              {"index":2,"grade":7},
              {"index":4,"grade":"1"}
            ]}
            """);

        var results = await Reranker(client).RerankAsync("q", FourDocs);

        // Document 3 keeps its first grade (2); 4 is graded 1; 1 and 2 are ungraded and keep their order below.
        Assert.Equal([2, 3, 0, 1], Order(results));
        Assert.Equal([2.0 / 3, 1.0 / 3, ChatCompletionReranker.UngradedScore, ChatCompletionReranker.UngradedScore],
            results.Select(r => r.RelevanceScore), new ToleranceComparer());
    }

    [Fact]
    public async Task Listwise_ignores_duplicates_and_unknown_numbers_and_appends_left_out_documents_in_original_order()
    {
        var client = new ScriptedChatClient("""{"ranking":[4, 4, 7, 0, 2]}""");

        var results = await Reranker(client, ChatRerankMode.Listwise).RerankAsync("q", FourDocs);

        Assert.Equal([3, 1, 0, 2], Order(results));
    }

    [Fact]
    public async Task Partially_missing_grades_leave_the_rest_below_in_original_order()
    {
        var client = new ScriptedChatClient("""{"grades":[{"index":3,"grade":1}]}""");

        var results = await Reranker(client).RerankAsync("q", FourDocs);

        Assert.Equal([2, 0, 1, 3], Order(results));
    }

    [Fact]
    public async Task Garbage_throws_a_clear_error_quoting_a_truncated_reply()
    {
        var garbage = "I am sorry, but I cannot help with ranking movies today. " + new string('x', 500);
        var client = new ScriptedChatClient(garbage);

        var ex = await Assert.ThrowsAsync<ChatRerankException>(() => Reranker(client).RerankAsync("q", FourDocs));

        Assert.IsAssignableFrom<InvalidOperationException>(ex);
        Assert.Contains("pointwise", ex.Message);
        Assert.Contains("\"grade\"", ex.Message);
        Assert.Contains("I am sorry, but I cannot help", ex.Message);
        Assert.DoesNotContain(new string('x', 300), ex.Message);
        Assert.Equal(garbage, ex.ModelOutput);
        Assert.Single(client.Requests);
    }

    [Fact]
    public async Task Empty_listwise_reply_throws_after_one_corrective_retry()
    {
        var client = new ScriptedChatClient("", "   ");
        var reranker = Reranker(client, ChatRerankMode.Listwise, o => o.RetryUnparseableOutput = true);

        var ex = await Assert.ThrowsAsync<ChatRerankException>(() => reranker.RerankAsync("q", FourDocs));

        Assert.Contains("listwise", ex.Message);
        Assert.Contains("empty", ex.Message);
        Assert.Equal(2, client.Requests.Count);
    }

    [Fact]
    public async Task Unparseable_reply_is_retried_once_with_a_corrective_message()
    {
        var client = new ScriptedChatClient("The best one is the second.", """{"ranking":[2,1,3,4]}""");
        var reranker = Reranker(client, ChatRerankMode.Listwise, o => o.RetryUnparseableOutput = true);

        var results = await reranker.RerankAsync("q", FourDocs);

        Assert.Equal([1, 0, 2, 3], Order(results));
        Assert.Equal(2, client.Requests.Count);
        var retry = client.Requests[1].Messages;
        Assert.Equal([ChatRole.System, ChatRole.User, ChatRole.Assistant, ChatRole.User], retry.Select(m => m.Role));
        Assert.Equal("The best one is the second.", retry[2].Text);
        Assert.Contains("could not be used", retry[3].Text);
    }

    [Fact]
    public async Task A_batch_without_usable_grades_ranks_below_the_graded_batches_instead_of_failing_the_call()
    {
        var client = new ScriptedChatClient(prompt => prompt.Contains("Heat", StringComparison.Ordinal)
            ? "no idea"
            : """{"grades":[{"index":1,"grade":1},{"index":2,"grade":2}]}""");
        var reranker = Reranker(client, configure: o => o.MaxDocumentsPerPrompt = 2);

        var results = await reranker.RerankAsync("q", FourDocs);

        Assert.Equal([1, 0, 2, 3], Order(results));
        Assert.Equal(ChatCompletionReranker.UngradedScore, results[2].RelevanceScore);
    }

    // ---- prompts ----

    [Fact]
    public async Task Prompt_contains_the_query_and_every_document_numbered_on_one_line_and_truncated()
    {
        var longDoc = "Heat (1995). A group of professional bank robbers starts to feel the heat from police when they unknowingly leave a clue.";
        string[] docs = ["Alien (1979).\nIn space no one\r\ncan hear you scream.", longDoc, "Ronin"];
        var client = new ScriptedChatClient("""{"grades":[{"index":1,"grade":1}]}""");
        var reranker = Reranker(client, configure: o => o.MaxDocumentCharacters = 60);

        await reranker.RerankAsync("  crime\nthriller  ", docs);

        var request = Assert.Single(client.Requests);
        Assert.Equal(ChatRole.System, request.Messages[0].Role);
        var prompt = request.Messages[^1].Text;
        Assert.Contains("Query: crime thriller", prompt);
        Assert.Contains("[1] Alien (1979). In space no one can hear you scream.", prompt);
        Assert.Contains("[3] Ronin", prompt);
        var line2 = prompt.Split('\n').Single(l => l.StartsWith("[2] ", StringComparison.Ordinal));
        Assert.EndsWith("…", line2);
        Assert.True(line2.Length - "[2] ".Length <= 61, line2);
        Assert.StartsWith("[2] Heat (1995). A group of professional bank robbers", line2);
        Assert.DoesNotContain("unknowingly", prompt);
        Assert.Contains("3 documents", prompt);
        Assert.Contains("0 to 3", prompt);
    }

    [Fact]
    public async Task Chat_options_carry_model_temperature_format_and_the_per_call_model_override()
    {
        var client = new ScriptedChatClient("""{"grades":[{"index":1,"grade":1}]}""");
        var configured = 0;
        var reranker = Reranker(client, configure: o =>
        {
            o.ModelId = "judge-1";
            o.MaxOutputTokens = 300;
            o.UseJsonResponseFormat = true;
            o.ConfigureChatOptions = c => { configured++; c.Seed = 7; };
        });

        await reranker.RerankAsync("q", ["a"]);
        await reranker.RerankAsync("q", ["a"], new RerankOptions { ModelId = "judge-2" });

        var (first, second) = (client.Requests[0].Options!, client.Requests[1].Options!);
        Assert.Equal("judge-1", first.ModelId);
        Assert.Equal("judge-2", second.ModelId);
        Assert.Equal(0f, first.Temperature);
        Assert.Equal(300, first.MaxOutputTokens);
        Assert.IsType<ChatResponseFormatJson>(first.ResponseFormat);
        Assert.Equal(7, first.Seed);
        Assert.Equal(2, configured);
    }

    [Fact]
    public async Task Custom_template_and_system_prompt_are_used()
    {
        var client = new ScriptedChatClient("[2] > [1]");
        var reranker = Reranker(client, ChatRerankMode.Listwise, o =>
        {
            o.SystemPrompt = "";
            o.PromptTemplate = "Q={query}; N={count}; {\"keep\":\"braces\"}\n{documents}";
        });

        var results = await reranker.RerankAsync("heist", ["a", "b"]);

        Assert.Equal([1, 0], Order(results));
        var message = Assert.Single(Assert.Single(client.Requests).Messages);
        Assert.Equal("Q=heist; N=2; {\"keep\":\"braces\"}\n[1] a\n[2] b", message.Text);
    }

    [Fact]
    public void Invalid_options_are_rejected_when_the_reranker_is_created()
    {
        var client = new ScriptedChatClient("");
        Assert.Throws<ArgumentOutOfRangeException>(() => new ChatCompletionReranker(client, new() { Mode = ChatRerankMode.Listwise, MaxDocumentsPerPrompt = 1 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ChatCompletionReranker(client, new() { MaxConcurrency = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ChatCompletionReranker(client, new() { MaxGrade = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ChatCompletionReranker(client, new() { MaxDocumentCharacters = 0 }));
        Assert.Throws<ArgumentException>(() => new ChatCompletionReranker(client, new() { PromptTemplate = "Rank for {query}" }));
    }

    [Fact]
    public async Task Options_are_copied_so_later_changes_do_not_leak_in()
    {
        var client = new ScriptedChatClient("""{"grades":[{"index":1,"grade":1}]}""");
        var options = new ChatCompletionRerankerOptions { ModelId = "before" };
        var reranker = new ChatCompletionReranker(client, options);
        options.ModelId = "after";

        await reranker.RerankAsync("q", ["a"]);

        Assert.Equal("before", client.Requests[0].Options!.ModelId);
    }

    // ---- batching, windows, concurrency ----

    [Fact]
    public async Task Pointwise_batches_documents_numbered_from_one_per_prompt_and_respects_concurrency()
    {
        // Each document says how relevant it is; the fake grades accordingly.
        var docs = Enumerable.Range(0, 7).Select(i => $"movie {i} relevance {(i * 5) % 4}").ToArray();
        var client = new ScriptedChatClient(GradeByRelevanceWord) { Delay = TimeSpan.FromMilliseconds(30) };
        var reranker = Reranker(client, configure: o => { o.MaxDocumentsPerPrompt = 3; o.MaxConcurrency = 2; });

        var results = await reranker.RerankAsync("q", docs);

        Assert.Equal(3, client.Requests.Count);
        Assert.All(client.Requests, r => Assert.Contains("[1] movie", r.Messages[^1].Text));
        Assert.True(client.MaxInFlight <= 2, $"{client.MaxInFlight} prompts ran at once");
        var expected = Enumerable.Range(0, 7).OrderByDescending(i => (i * 5) % 4).ThenBy(i => i).ToArray();
        Assert.Equal(expected, Order(results));
    }

    [Fact]
    public async Task Listwise_sliding_window_lifts_the_best_documents_from_the_back_to_the_top()
    {
        // Relevance rises with the index, so the best documents start at the very end.
        var docs = Enumerable.Range(0, 10).Select(i => $"movie relevance {i}").ToArray();
        var client = new ScriptedChatClient(RankByRelevanceWord);
        var reranker = Reranker(client, ChatRerankMode.Listwise, o => o.MaxDocumentsPerPrompt = 4);

        var results = await reranker.RerankAsync("q", docs, new RerankOptions { TopN = 3 });

        // Windows [6,10), [4,8), [2,6), [0,4): one pass guarantees the top window − step = 2 places.
        Assert.Equal(4, client.Requests.Count);
        Assert.Equal([9, 8], Order(results).Take(2));
        Assert.Equal(3, results.Count);
        Assert.Equal(1.0, results[0].RelevanceScore);
    }

    [Fact]
    public async Task Listwise_single_document_needs_no_prompt()
    {
        var client = new ScriptedChatClient();
        var results = await Reranker(client, ChatRerankMode.Listwise).RerankAsync("q", ["only"]);

        Assert.Equal([0], Order(results));
        Assert.Empty(client.Requests);
    }

    // ---- arguments and cancellation ----

    [Fact]
    public async Task TopN_is_validated_before_any_prompt_and_limits_the_results()
    {
        var client = new ScriptedChatClient("""{"grades":[{"index":1,"grade":0},{"index":2,"grade":3},{"index":3,"grade":1},{"index":4,"grade":2}]}""");
        var reranker = Reranker(client);

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => reranker.RerankAsync("q", FourDocs, new RerankOptions { TopN = 0 }));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => reranker.RerankAsync("q", FourDocs, new RerankOptions { TopN = 5 }));
        await Assert.ThrowsAsync<ArgumentException>(() => reranker.RerankAsync(" ", FourDocs));
        Assert.Empty(client.Requests);

        var top2 = await reranker.RerankAsync("q", FourDocs, new RerankOptions { TopN = 2 });
        Assert.Equal([1, 3], Order(top2));
        Assert.Empty(await reranker.RerankAsync("q", []));
    }

    [Fact]
    public async Task Cancellation_propagates_before_and_during_the_call()
    {
        var client = new ScriptedChatClient("""{"grades":[]}""") { Delay = Timeout.InfiniteTimeSpan };
        var reranker = Reranker(client);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => reranker.RerankAsync("q", FourDocs, cancellationToken: new CancellationToken(true)));

        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(50));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => reranker.RerankAsync("q", FourDocs, cancellationToken: cts.Token));

        var listwise = Reranker(client, ChatRerankMode.Listwise);
        using var cts2 = new CancellationTokenSource(TimeSpan.FromMilliseconds(50));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => listwise.RerankAsync("q", FourDocs, cancellationToken: cts2.Token));
    }

    // ---- Semantic Kernel ----

    [Fact]
    public async Task Semantic_kernel_chat_completion_service_works_through_the_adapter()
    {
        var service = new ScriptedChatCompletionService("```\n[2] > [4] > [1] > [3]\n```");
        var reranker = new ChatCompletionReranker(service, new ChatCompletionRerankerOptions { Mode = ChatRerankMode.Listwise });

        var results = await reranker.RerankAsync("sequel with marines", FourDocs);

        Assert.Equal(new RerankerMetadata("chat", "sk-model"), reranker.Metadata);
        Assert.Equal([1, 3, 0, 2], Order(results));
        var (history, settings) = Assert.Single(service.Calls);
        Assert.Equal(AuthorRole.System, history[0].Role);
        Assert.Contains("Query: sequel with marines", history[^1].Content);
        Assert.Contains("[4] Ronin (1998)", history[^1].Content);
        Assert.NotNull(settings);
        Assert.Equal(0f, Convert.ToSingle(settings!.ExtensionData!["temperature"]));
    }

    [Fact]
    public async Task Semantic_kernel_garbage_reply_surfaces_as_chat_rerank_exception()
    {
        var service = new ScriptedChatCompletionService("no");
        var reranker = new ChatCompletionReranker(service, new ChatCompletionRerankerOptions());

        var ex = await Assert.ThrowsAsync<ChatRerankException>(() => reranker.RerankAsync("q", FourDocs));

        Assert.Contains("Reply (truncated): no", ex.Message);
        Assert.Equal(2, service.Calls.Count); // the retry is on by default
    }

    // ---- parser details ----

    [Theory]
    [InlineData("""{"1": 3, "2": 0, "3": 1}""", new[] { 3.0, 0, 1 })]
    [InlineData("""{"grades":[3, 0, 1]}""", new[] { 3.0, 0, 1 })]
    [InlineData("""{"grades":[{"index":"[1]","grade":"2.5"},{"id":2,"score":0},{"document":"doc 3","relevance":1}]}""", new[] { 2.5, 0, 1 })]
    [InlineData("""{"grades":[{"index":1,"grade":3},{"index":2,"grade":0},{"index":3,"gr""", new[] { 3.0, 0, double.NaN })]
    [InlineData("""[{"index":3,"grade":1}] and for [1] I'd say""", new[] { double.NaN, double.NaN, 1 })]
    [InlineData("""<think>maybe {"grades":[3,3,3]}</think>{"grades":[0,1,2]}""", new[] { 0.0, 1, 2 })]
    [InlineData("""{"result":{"grades":[{"index":2,"grade":3}]}}""", new[] { double.NaN, 3, double.NaN })]
    public void Pointwise_parser_reads_neighbouring_formats(string reply, double[] expected)
    {
        var parsed = ChatRerankReplyParser.ParsePointwise(reply, 3, maxGrade: 3);

        Assert.Null(parsed.Problem);
        Assert.Equal(expected, parsed.Grades.Select(g => g ?? double.NaN));
    }

    [Theory]
    [InlineData("""{"ranking":[3,1,""", new[] { 2, 0 })]
    [InlineData("""The ranking is [3] > [1] > [2]; note that [1] is close.""", new[] { 2, 0, 1 })]
    [InlineData("""<think>[1] > [2] > [3]</think> [2] > [3] > [1]""", new[] { 1, 2, 0 })]
    [InlineData("""[{"index":2},{"index":1}]""", new[] { 1, 0 })]
    [InlineData("""{"order":[2,3,1]}""", new[] { 1, 2, 0 })]
    public void Listwise_parser_reads_neighbouring_formats(string reply, int[] expected)
    {
        var parsed = ChatRerankReplyParser.ParseListwise(reply, 3);

        Assert.Null(parsed.Problem);
        Assert.Equal(expected, parsed.Ranking);
    }

    [Theory]
    [InlineData("")]
    [InlineData("I think the first one.")]
    [InlineData("""{"grades":[{"index":7,"grade":3}]}""")]
    [InlineData("""{"grades":"all good"}""")]
    public void Pointwise_parser_reports_a_problem_when_nothing_is_usable(string reply)
    {
        var parsed = ChatRerankReplyParser.ParsePointwise(reply, 3, maxGrade: 3);

        Assert.NotNull(parsed.Problem);
        Assert.All(parsed.Grades, g => Assert.Null(g));
    }

    // ---- fakes ----

    private static string GradeByRelevanceWord(string prompt)
    {
        var entries = DocumentLineRegex().Matches(prompt)
            .Select(m => $"{{\"index\":{m.Groups["n"].Value},\"grade\":{m.Groups["r"].Value}}}");
        return "Grades:\n```json\n{\"grades\":[" + string.Join(",", entries) + "]}\n```";
    }

    private static string RankByRelevanceWord(string prompt)
    {
        var ranked = DocumentLineRegex().Matches(prompt)
            .OrderByDescending(m => int.Parse(m.Groups["r"].Value))
            .Select(m => $"[{m.Groups["n"].Value}]");
        return string.Join(" > ", ranked);
    }

    [GeneratedRegex(@"^\[(?<n>\d+)\] .*relevance (?<r>\d+)", RegexOptions.Multiline)]
    private static partial Regex DocumentLineRegex();

    private sealed class ToleranceComparer : IEqualityComparer<double>
    {
        public bool Equals(double x, double y) => Math.Abs(x - y) < 1e-9;
        public int GetHashCode(double obj) => 0;
    }

    /// <summary>An <see cref="IChatClient"/> that records every request and answers from a script.</summary>
    private sealed class ScriptedChatClient : IChatClient
    {
        private readonly Func<string, string> _reply;
        private readonly Queue<string>? _replies;
        private readonly Lock _gate = new();
        private int _inFlight;

        /// <summary>Answers with the given replies in order (the last one repeats).</summary>
        public ScriptedChatClient(params string[] replies)
        {
            _replies = new Queue<string>(replies);
            _reply = _ => throw new InvalidOperationException("No scripted reply left.");
        }

        /// <summary>Answers each prompt (the last user message) with <paramref name="reply"/>.</summary>
        public ScriptedChatClient(Func<string, string> reply) => _reply = reply;

        public List<(IReadOnlyList<ChatMessage> Messages, ChatOptions? Options)> Requests { get; } = [];

        public TimeSpan Delay { get; init; }

        public int MaxInFlight { get; private set; }

        public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var list = messages.ToList();
            string text;
            lock (_gate)
            {
                Requests.Add((list, options));
                MaxInFlight = Math.Max(MaxInFlight, ++_inFlight);
                text = _replies is { Count: > 0 } q ? (q.Count > 1 ? q.Dequeue() : q.Peek()) : _reply(list[^1].Text);
            }
            try
            {
                if (Delay != TimeSpan.Zero) await Task.Delay(Delay, cancellationToken);
                else await Task.Yield();
            }
            finally
            {
                lock (_gate) _inFlight--;
            }
            return new ChatResponse(new ChatMessage(ChatRole.Assistant, text)) { ModelId = "scripted-model" };
        }

        public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException("The reranker does not stream.");

        public object? GetService(Type serviceType, object? serviceKey = null) =>
            serviceType == typeof(ChatClientMetadata) ? new ChatClientMetadata("scripted", null, "scripted-model")
            : serviceType.IsInstanceOfType(this) ? this
            : null;

        public void Dispose()
        {
        }
    }

    /// <summary>A Semantic Kernel chat completion service that records every call and always gives the same reply.</summary>
    private sealed class ScriptedChatCompletionService(string reply) : IChatCompletionService
    {
        public IReadOnlyDictionary<string, object?> Attributes { get; } = new Dictionary<string, object?> { ["ModelId"] = "sk-model" };

        public List<(ChatHistory History, PromptExecutionSettings? Settings)> Calls { get; } = [];

        public Task<IReadOnlyList<SkChatMessageContent>> GetChatMessageContentsAsync(
            ChatHistory chatHistory, PromptExecutionSettings? executionSettings = null, Kernel? kernel = null, CancellationToken cancellationToken = default)
        {
            cancellationToken.ThrowIfCancellationRequested();
            lock (Calls) Calls.Add((chatHistory, executionSettings));
            return Task.FromResult<IReadOnlyList<SkChatMessageContent>>([new SkChatMessageContent(AuthorRole.Assistant, reply) { ModelId = "sk-model" }]);
        }

        public async IAsyncEnumerable<StreamingChatMessageContent> GetStreamingChatMessageContentsAsync(
            ChatHistory chatHistory, PromptExecutionSettings? executionSettings = null, Kernel? kernel = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            await Task.Yield();
            throw new NotSupportedException("The reranker does not stream.");
#pragma warning disable CS0162 // An iterator needs a yield; this one never gets there.
            yield break;
#pragma warning restore CS0162
        }
    }
}
