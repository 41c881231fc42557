using System.Text.Json;
using Microsoft.SemanticKernel;
using SkRerank.Plugin;

namespace SkRerank.Cli.Chat;

/// <summary>
/// Shows each tool call the model makes: which function, with which arguments, and how many movies came back (or why
/// it failed). Written to stderr, so that stdout carries only the answers.
/// </summary>
internal sealed class ToolCallReporter(TextWriter writer) : IAutoFunctionInvocationFilter
{
    public async Task OnAutoFunctionInvocationAsync(AutoFunctionInvocationContext context, Func<AutoFunctionInvocationContext, Task> next)
    {
        var call = $"{context.Function.Name}({FormatArguments(context.Function, context.Arguments)})";
        try
        {
            await next(context);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // SK hands the message to the model as the tool result; the user sees the same reason.
            await writer.WriteLineAsync($"  [tool] {call} failed: {ex.Message.ReplaceLineEndings(" ")}");
            throw;
        }

        var value = context.Result.GetValue<object>();
        var outcome = value is IReadOnlyList<MovieSearchHit> hits
            ? $"{hits.Count} movie{(hits.Count == 1 ? "" : "s")}{(hits.Count > 0 ? hits.All(h => h.Reranked) ? ", reranked" : ", first-stage order" : "")}"
              + (hits.Count > 0 ? ": " + string.Join("; ", hits.Select(h => h.Title)) : "")
            : "done";
        await writer.WriteLineAsync($"  [tool] {call} -> {outcome}");
    }

    private static string FormatArguments(KernelFunction function, KernelArguments? arguments) => arguments is null
        ? ""
        : string.Join(", ", arguments.Where(a => a.Value is not null).Select(a => $"{a.Key}: {Format(a.Value, IsText(function, a.Key))}"));

    // The connector hands every argument over as a string; show numbers as the model wrote them.
    private static bool IsText(KernelFunction function, string name) =>
        function.Metadata.Parameters.FirstOrDefault(p => p.Name == name)?.ParameterType is not { IsPrimitive: true };

    private static string Format(object? value, bool isText) => value switch
    {
        string s when isText => JsonSerializer.Serialize(s),
        string s => s,
        JsonElement e => e.GetRawText(),
        _ => Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? "",
    };
}
