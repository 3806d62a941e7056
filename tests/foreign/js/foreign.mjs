// The AWS SDK for JavaScript v3 against `pinpoint-migrate emulator serve`: node foreign.mjs ENDPOINT
// Prints one JSON object with what each step saw; tests/foreign/test_js_sdk.py checks it.
import {
  PinpointSMSVoiceV2Client, CreateOptOutListCommand, PutOptedOutNumberCommand, RequestPhoneNumberCommand,
  SendTextMessageCommand, DeleteOptedOutNumberCommand, ReleasePhoneNumberCommand, DeleteOptOutListCommand,
  paginateDescribeOptedOutNumbers,
} from "@aws-sdk/client-pinpoint-sms-voice-v2";
import { PinpointClient, CreateAppCommand, GetAppsCommand } from "@aws-sdk/client-pinpoint";
import {
  PinpointSMSVoiceClient, CreateConfigurationSetCommand, ListConfigurationSetsCommand,
} from "@aws-sdk/client-pinpoint-sms-voice";

const endpoint = process.argv[2];
const config = {
  endpoint, region: "us-east-1",
  credentials: { accessKeyId: "AKIDFOREIGNJS", secretAccessKey: "not-a-secret" },
};
const v2 = new PinpointSMSVoiceV2Client(config);
const out = { calls: 0 };
const send = async (client, command) => { out.calls += 1; return client.send(command); };

const list = "foreign-js";
const numbers = ["+14255550101", "+14255550102", "+14255550103"];
out.list = (await send(v2, new CreateOptOutListCommand({ OptOutListName: list }))).OptOutListArn;
for (const n of numbers) await send(v2, new PutOptedOutNumberCommand({ OptOutListName: list, OptedOutNumber: n }));
out.pages = 0;
out.described = [];
for await (const page of paginateDescribeOptedOutNumbers({ client: v2, pageSize: 1 }, { OptOutListName: list })) {
  out.calls += 1;
  out.pages += 1;
  for (const item of page.OptedOutNumbers ?? []) out.described.push(item.OptedOutNumber);
}
const phone = await send(v2, new RequestPhoneNumberCommand({
  IsoCountryCode: "US", MessageType: "TRANSACTIONAL", NumberCapabilities: ["SMS"], NumberType: "SIMULATOR",
  OptOutListName: list,
}));
out.phoneStatus = phone.Status;
try {
  await send(v2, new SendTextMessageCommand({
    DestinationPhoneNumber: numbers[0], OriginationIdentity: phone.PhoneNumberId, MessageBody: "hi", DryRun: true,
  }));
  out.dryRun = "accepted";
} catch (err) {
  out.dryRun = { name: err.name, reason: err.Reason ?? null, status: err.$metadata?.httpStatusCode ?? null };
}
const ok = await send(v2, new SendTextMessageCommand({
  DestinationPhoneNumber: "+14254147755", OriginationIdentity: phone.PhoneNumberId, MessageBody: "hi", DryRun: true,
}));
out.dryRunOther = Boolean(ok.MessageId);
for (const n of numbers) await send(v2, new DeleteOptedOutNumberCommand({ OptOutListName: list, OptedOutNumber: n }));
await send(v2, new ReleasePhoneNumberCommand({ PhoneNumberId: phone.PhoneNumberId }));
out.deleted = (await send(v2, new DeleteOptOutListCommand({ OptOutListName: list }))).OptOutListName;

const pinpoint = new PinpointClient(config);
const app = await send(pinpoint, new CreateAppCommand({ CreateApplicationRequest: { Name: "foreign-js" } }));
out.app = app.ApplicationResponse.Id;
out.apps = (await send(pinpoint, new GetAppsCommand({}))).ApplicationsResponse.Item.map((a) => a.Id);

const v1 = new PinpointSMSVoiceClient(config);
await send(v1, new CreateConfigurationSetCommand({ ConfigurationSetName: "foreign-js" }));
out.v1 = (await send(v1, new ListConfigurationSetsCommand({}))).ConfigurationSets;
console.log(JSON.stringify(out));
