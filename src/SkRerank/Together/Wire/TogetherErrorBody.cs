using System.Text.Json;

namespace SkRerank.Together.Wire;

/// <summary>The service's error body, read leniently: Together and OpenAI send <c>{"error":{"message","type","param","code"}}</c>, others a string or a top-level message.</summary>
internal sealed record TogetherErrorBody(string? Message, string? Type, string? Param, string? Code)
{
    public static TogetherErrorBody? TryParse(ReadOnlySpan<byte> body)
    {
        if (body.IsEmpty) return null;
        try
        {
            using var document = JsonDocument.Parse(body.ToArray());
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object) return null;
            if (root.TryGetProperty("error", out var error))
            {
                if (error.ValueKind == JsonValueKind.Object)
                {
                    return new TogetherErrorBody(Text(error, "message"), Text(error, "type"), Text(error, "param"), Text(error, "code"));
                }

                if (error.ValueKind == JsonValueKind.String)
                {
                    // TEI and some proxies: {"error": "...", "error_type": "..."}.
                    return new TogetherErrorBody(error.GetString(), Text(root, "error_type") ?? Text(root, "type"), null, Text(root, "code"));
                }
            }

            var message = Text(root, "message") ?? Text(root, "detail");
            return message is null ? null : new TogetherErrorBody(message, Text(root, "type"), null, Text(root, "code"));
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value)
            ? value.ValueKind switch
            {
                JsonValueKind.String => value.GetString(),
                JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => value.GetRawText(),
                _ => null,
            }
            : null;
}
