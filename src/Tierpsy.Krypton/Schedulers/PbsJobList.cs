using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Tierpsy.Krypton.Schedulers;

/// <summary>One job or sub-job of <c>qstat -f -F json</c>: the fields the status needs.</summary>
internal sealed record PbsJob(string Id, string State, int? ExitStatus, bool Ran, string? Comment);

/// <summary>
/// Reads the jobs of <c>qstat -f -F json</c> with a forward-only reader over the UTF-8 bytes, skipping every field
/// the status does not need (the environment, the resource lists). 10,000 sub-jobs are 15-18 MB of JSON: building a
/// document of them cost Monitor's first round a quarter of a second (docs/benchmarks.md, "Monitor at scale").
/// </summary>
internal static class PbsJobList
{
    /// <summary>The jobs; text before the first <c>{</c> is ignored.</summary>
    /// <exception cref="JsonException">The text is not JSON.</exception>
    public static List<PbsJob> Read(ReadOnlySpan<char> json)
    {
        var start = json.IndexOf('{');
        if (start < 0)
            return [];
        var text = json[start..];
        var buffer = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetByteCount(text));
        try
        {
            var length = Encoding.UTF8.GetBytes(text, buffer);
            return Read(buffer.AsSpan(0, length));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static List<PbsJob> Read(ReadOnlySpan<byte> utf8)
    {
        var jobs = new List<PbsJob>();
        var reader = new Utf8JsonReader(utf8);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            throw new JsonException("the answer is not a JSON object");
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isJobs = reader.ValueTextEquals("Jobs"u8);
            reader.Read();
            if (isJobs && reader.TokenType == JsonTokenType.StartObject)
                ReadJobs(ref reader, jobs);
            else
                reader.Skip();
        }
        return jobs;
    }

    private static void ReadJobs(ref Utf8JsonReader reader, List<PbsJob> jobs)
    {
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var id = reader.GetString()!;
            reader.Read();
            if (reader.TokenType == JsonTokenType.StartObject)
                jobs.Add(ReadJob(ref reader, id));
            else
                reader.Skip();
        }
    }

    private static PbsJob ReadJob(ref Utf8JsonReader reader, string id)
    {
        var (state, exit, ran, comment) = ("", (int?)null, false, (string?)null);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("job_state"u8))
                state = NextString(ref reader) ?? "";
            else if (reader.ValueTextEquals("Exit_status"u8))
                exit = NextInt(ref reader);
            else if (reader.ValueTextEquals("comment"u8))
                comment = NextString(ref reader);
            else
            {
                ran |= reader.ValueTextEquals("exec_host"u8);
                reader.Read();
                reader.Skip();
            }
        }
        return new PbsJob(id, state, exit, ran, comment);
    }

    private static string? NextString(ref Utf8JsonReader reader)
    {
        reader.Read();
        if (reader.TokenType == JsonTokenType.String)
            return reader.GetString();
        reader.Skip();
        return null;
    }

    private static int? NextInt(ref Utf8JsonReader reader)
    {
        reader.Read();
        return reader.TokenType switch
        {
            JsonTokenType.Number when reader.TryGetInt32(out var n) => n,
            JsonTokenType.String
                when int.TryParse(reader.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) =>
                n,
            _ => SkipNull(ref reader),
        };
    }

    private static int? SkipNull(ref Utf8JsonReader reader)
    {
        reader.Skip();
        return null;
    }
}
