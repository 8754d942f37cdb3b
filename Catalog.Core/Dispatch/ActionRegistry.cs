using System.Text.Json.Nodes;
using Catalog.Core.Validation;

namespace Catalog.Core.Dispatch;

public delegate Task<JsonNode?> ActionHandler(ActionContext ctx, JsonObject data);

/// <summary>Throws <see cref="NotAuthorizedException"/> when the caller may not run the action with this data.</summary>
public delegate Task AuthRule(ActionContext ctx, JsonObject data);

/// <param name="Schema">Applied before the handler; null when the handler validates itself (patches merge first).</param>
/// <param name="SideEffectFree">Read-only: may be called with GET and runs without a write transaction.</param>
/// <param name="AcceptsUpload">Reads a file from the call: only these may be sent a body larger than a plain request.</param>
public sealed record ActionDefinition(
    string Name,
    AuthRule Auth,
    Schema? Schema,
    ActionHandler Handler,
    bool SideEffectFree,
    string Help,
    bool AcceptsUpload = false);

/// <summary>The explicit list of actions: every name served under <c>/api/3/action/</c> is registered here.</summary>
public sealed class ActionRegistry
{
    private readonly Dictionary<string, ActionDefinition> _actions = new(StringComparer.Ordinal);

    public IEnumerable<ActionDefinition> All => _actions.Values.OrderBy(a => a.Name, StringComparer.Ordinal);

    public ActionDefinition? Find(string name) => _actions.GetValueOrDefault(name);

    public ActionRegistry Read(string name, AuthRule auth, ActionHandler handler, string help, Schema? schema = null) =>
        Add(new ActionDefinition(name, auth, schema, handler, SideEffectFree: true, help));

    public ActionRegistry Write(string name, AuthRule auth, ActionHandler handler, string help, Schema? schema = null) =>
        Add(new ActionDefinition(name, auth, schema, handler, SideEffectFree: false, help));

    /// <summary>A write action that takes a file (the multipart part <c>upload</c>).</summary>
    public ActionRegistry Upload(string name, AuthRule auth, ActionHandler handler, string help, Schema? schema = null) =>
        Add(new ActionDefinition(name, auth, schema, handler, SideEffectFree: false, help, AcceptsUpload: true));

    private ActionRegistry Add(ActionDefinition action)
    {
        ArgumentNullException.ThrowIfNull(action.Auth);
        if (!_actions.TryAdd(action.Name, action))
            throw new InvalidOperationException($"Action {action.Name} is registered twice.");
        return this;
    }
}
